"""Router contexts as twinrouter sends them (docs/router-protocol.md), for the tests."""

import copy

OPUS = "anthropic/claude-opus-4.6"
FLASH = "google/gemini-3-flash-preview"
MINIMAX = "minimax/minimax-m2.7"
DEEPSEEK = "deepseek/deepseek-v3.2"


def _model(model_id, tier, price):
    return {"model_id": model_id, "tier": tier,
            "prices": {"input_per_m": price, "cache_read_per_m": price / 10,
                       "cache_write_per_m": price, "output_per_m": price * 4}}


LIVE = {
    "track": "live",
    "instance_id": "django__django-11133",
    "step_index": 2,
    "messages": [
        {"role": "system", "content": "You are a helpful assistant"},
        {"role": "user", "content": "Fix the failing test"},
        {"role": "assistant", "content": "Let me look.\n```bash\nls\n```",
         "extra": {"cost": 0.001}},
        {"role": "user", "content": "<returncode>0</returncode><output>README.md</output>"},
    ],
    "tools": [],
    "available_models": [_model(OPUS, "high", 5.0), _model(FLASH, "mid_high", 0.5),
                         _model(MINIMAX, "mid", 0.3), _model(DEEPSEEK, "low", 0.252)],
    "cache_state": {
        "wallclock_ttl_sec": 300,
        "now_ts": 1763975000.25,
        "by_model": {
            OPUS: {"model_id": OPUS, "last_call_ts": 1763974990.5,
                   "prefix_token_count": 5312, "prefix_hash": "9f2c" * 16},
            FLASH: {"model_id": FLASH, "last_call_ts": None, "prefix_token_count": 0,
                    "prefix_hash": None},
            MINIMAX: {"model_id": MINIMAX, "last_call_ts": None, "prefix_token_count": 0,
                      "prefix_hash": None},
            DEEPSEEK: {"model_id": DEEPSEEK, "last_call_ts": None, "prefix_token_count": 0,
                       "prefix_hash": None},
        },
    },
    "budget_so_far_usd": 0.0312,
    "run_config": {"max_steps": 250, "budget_usd": 3.0, "wallclock_ttl_sec": 300,
                   "select_timeout_sec": 30.0},
}

# the static track: a bank row's prefix, an empty cache (every model never called, now_ts 0)
STATIC = copy.deepcopy(LIVE)
STATIC.update({"track": "static", "row_id": "swebench-17", "benchmark": "swebench",
               "step_index": 1, "budget_so_far_usd": 0.0,
               "cache_state": {"wallclock_ttl_sec": 300, "now_ts": 0.0, "by_model": {}}})


def live(**changes):
    body = copy.deepcopy(LIVE)
    body.update(changes)
    return body
