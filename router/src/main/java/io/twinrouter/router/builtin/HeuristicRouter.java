package io.twinrouter.router.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.config.Tier;
import io.twinrouter.router.MessageText;
import io.twinrouter.router.Router;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RouterException;
import io.twinrouter.router.TokenCounter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A transparent rule-based router over what any router can see. Deterministic; no labels.
 *
 * <p>Features of the context:
 *
 * <ul>
 *   <li><b>prefix tokens</b>: tokens of the whole message text (a pluggable {@link TokenCounter};
 *       chars/4 by default);
 *   <li><b>assistant turns</b>: assistant messages so far (0 = the first call of a task);
 *   <li><b>latest observations</b>: the messages after the last assistant message that are tool
 *       results ({@code role: tool}, or {@code role: user} once the assistant has spoken, as
 *       text-mode agents send command output);
 *   <li><b>recent error</b>: a latest observation holds a Python traceback, a non-zero {@code
 *       <returncode>} or {@code extra.returncode}, an {@code ...Error}/{@code Exception} name, the
 *       word "error" or "failed", "command not found", or "exit code/status N" with N &gt; 0;
 *   <li><b>tool ratio</b> (role mix): tool messages / all messages.
 * </ul>
 *
 * <p>Score, starting at 0:
 *
 * <ul>
 *   <li>+2 on a recent error (diagnosing a failure is where weak models loop);
 *   <li>+1 on the first call of a long task (no assistant turn yet and at least {@value
 *       #LONG_TASK_TOKENS} prefix tokens: the plan is set here);
 *   <li>+1 from {@value #LONG_CONTEXT_TOKENS} prefix tokens, +1 more from {@value
 *       #VERY_LONG_CONTEXT_TOKENS} (reasoning over much material);
 *   <li>-1 for a routine agent step: no error, tool ratio at least 0.25, and the latest
 *       observation shorter than {@value #SHORT_OUTPUT_CHARS} characters.
 * </ul>
 *
 * Tier: score &le; 0 low, 1 mid, 2 mid_high, &ge; 3 high.
 */
public final class HeuristicRouter implements Router {
  static final int LONG_TASK_TOKENS = 1500;
  static final int LONG_CONTEXT_TOKENS = 20_000;
  static final int VERY_LONG_CONTEXT_TOKENS = 60_000;
  static final int SHORT_OUTPUT_CHARS = 400;
  static final double ROUTINE_TOOL_RATIO = 0.25;

  private static final Pattern ERROR =
      Pattern.compile(
          "Traceback \\(most recent call last\\)"
              + "|<returncode>\\s*-?[1-9]\\d*\\s*</returncode>"
              + "|\\b[A-Z]\\w*Error\\b|\\b\\w*Exception\\b"
              + "|(?i:\\berror\\b|\\bfailed\\b|command not found|exit (?:code|status):? *[1-9])");

  private final TokenCounter tokenCounter;

  public HeuristicRouter(TokenCounter tokenCounter) {
    this.tokenCounter = tokenCounter;
  }

  @Override
  public String name() {
    return "heuristic";
  }

  /** The features the score is computed from, exposed for tests and rationales. */
  record Features(
      int tokens, int assistantTurns, int latestOutputChars, boolean recentError, double toolRatio) {}

  static Features features(List<JsonNode> messages, TokenCounter counter) {
    int assistantTurns = 0;
    int tools = 0;
    int lastAssistant = -1;
    for (int i = 0; i < messages.size(); i++) {
      String role = MessageText.role(messages.get(i));
      if (role.equals("assistant")) {
        assistantTurns++;
        lastAssistant = i;
      } else if (role.equals("tool")) {
        tools++;
      }
    }
    boolean error = false;
    int latestChars = -1;
    if (lastAssistant >= 0) {
      for (int i = lastAssistant + 1; i < messages.size(); i++) {
        JsonNode m = messages.get(i);
        String role = MessageText.role(m);
        if (role.equals("tool") || role.equals("user")) {
          String text = MessageText.content(m);
          latestChars = text.length();
          int rc = m.path("extra").path("returncode").asInt(0);
          error |= rc != 0 || ERROR.matcher(text).find();
        }
      }
    }
    double ratio = messages.isEmpty() ? 0 : (double) tools / messages.size();
    int tokens = counter.count(MessageText.of(messages));
    return new Features(tokens, assistantTurns, latestChars, error, ratio);
  }

  static int score(Features f) {
    int score = 0;
    if (f.recentError()) {
      score += 2;
    }
    if (f.assistantTurns() == 0 && f.tokens() >= LONG_TASK_TOKENS) {
      score += 1;
    }
    if (f.tokens() >= LONG_CONTEXT_TOKENS) {
      score += 1;
    }
    if (f.tokens() >= VERY_LONG_CONTEXT_TOKENS) {
      score += 1;
    }
    if (!f.recentError()
        && f.toolRatio() >= ROUTINE_TOOL_RATIO
        && f.latestOutputChars() >= 0
        && f.latestOutputChars() < SHORT_OUTPUT_CHARS) {
      score -= 1;
    }
    return score;
  }

  static Tier tier(int score) {
    return score <= 0 ? Tier.LOW : score >= 3 ? Tier.HIGH : Tier.fromId(score);
  }

  @Override
  public RouterDecision select(RouterContext ctx) throws RouterException {
    Features f = features(ctx.messages(), tokenCounter);
    int score = score(f);
    Tier tier = tier(score);
    String why =
        String.format(
            Locale.ROOT,
            "heuristic: score %d -> %s (tokens %d, assistant turns %d, recent error %s, "
                + "tool ratio %.2f, latest output %d chars)",
            score,
            tier.wireName(),
            f.tokens(),
            f.assistantTurns(),
            f.recentError() ? "yes" : "no",
            f.toolRatio(),
            Math.max(f.latestOutputChars(), 0));
    return RouterDecision.forTier(ctx, nearestAvailable(ctx, tier), why);
  }

  /** A pool without the wanted tier gets the next stronger tier it has, else the next weaker. */
  private static Tier nearestAvailable(RouterContext ctx, Tier wanted) {
    for (int id = wanted.id(); id <= Tier.HIGH.id(); id++) {
      if (ctx.modelForTier(Tier.fromId(id)).isPresent()) {
        return Tier.fromId(id);
      }
    }
    for (int id = wanted.id() - 1; id >= 0; id--) {
      if (ctx.modelForTier(Tier.fromId(id)).isPresent()) {
        return Tier.fromId(id);
      }
    }
    return wanted;
  }
}
