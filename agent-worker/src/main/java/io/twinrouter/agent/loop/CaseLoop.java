package io.twinrouter.agent.loop;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinrouter.agent.model.ModelTurn;
import io.twinrouter.agent.model.UnusableResponse;
import io.twinrouter.agent.model.Usage;
import io.twinrouter.common.Json;
import io.twinrouter.config.LiveTrackSettings;
import io.twinrouter.config.ModelPool;
import io.twinrouter.config.PoolModel;
import io.twinrouter.router.AvailableModel;
import io.twinrouter.router.CacheStateSnapshot;
import io.twinrouter.router.RouterContext;
import io.twinrouter.router.RouterDecision;
import io.twinrouter.router.RunConfig;
import io.twinrouter.sandbox.ExecResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state and rules of one case's decide-act-observe loop, as the official mini scaffold runs
 * it (live-track spec 2.1.4). It does no I/O: the case actor asks it what to do next, performs the
 * router call, model call and commands, and hands the results back. One instance per case
 * attempt; not thread-safe (only the actor touches it).
 */
public final class CaseLoop {

  private static final JsonNode BASH_TOOL = Json.MAPPER.valueToTree(ActionParser.BASH_TOOL);

  private final CaseTask task;
  private final ModelPool pool;
  private final LiveTrackSettings limits;
  private final AgentSettings agent;
  private final ActionParser parser;
  private final ObservationRenderer observations;
  private final HarnessCache cache;
  private final List<AvailableModel> availableModels;
  private final MessageTrees trees = new MessageTrees();
  private final List<Map<String, Object>> messages = new ArrayList<>();
  private final List<Map<String, Object>> pendingObservations = new ArrayList<>();
  private final Map<String, Integer> modelDistribution = new LinkedHashMap<>();
  private int calls;
  private int pricedCalls;
  private int consecutiveFormatErrors;
  /** Format errors since the last priced step: answered and billed, but not used. */
  private final List<UnusableResponse> unusedPaid = new ArrayList<>();
  private double cost;
  private LoopExit exit;

  public CaseLoop(CaseTask task, ModelPool pool, LiveTrackSettings limits, AgentSettings agent,
      Prompts prompts) {
    this.task = task;
    this.pool = pool;
    this.limits = limits;
    this.agent = agent;
    this.parser = new ActionParser(agent.actionFormat(), prompts);
    this.observations = new ObservationRenderer(prompts, limits.observationLimitChars(),
        limits.commandTimeout());
    this.cache = new HarnessCache(pool.modelIds());
    this.availableModels = RouterContext.availableModels(pool);
    messages.add(message("system", prompts.systemMessage()));
    messages.add(message("user", prompts.instanceMessage(task.problemStatement())));
  }

  public CaseTask task() {
    return task;
  }

  public List<Map<String, Object>> messages() {
    return Collections.unmodifiableList(messages);
  }

  public Optional<LoopExit> exit() {
    return Optional.ofNullable(exit);
  }

  /** Model calls made, format-error calls included (mini's {@code n_calls}). */
  public int calls() {
    return calls;
  }

  /** Priced (traced) model calls. */
  public int pricedCalls() {
    return pricedCalls;
  }

  public double costUsd() {
    return cost;
  }

  public Map<String, Integer> modelDistribution() {
    return Collections.unmodifiableMap(modelDistribution);
  }

  /**
   * Steps 1 to 3: the limit check, then the router context of the next call (spec 1.1), its step
   * index taken. Empty when a limit ended the loop ({@link #exit()} is then set). The routers see
   * the messages with their {@code extra} blocks, as in mini.
   */
  public Optional<RouterContext> nextCall(double nowTs) {
    requireRunning();
    int stepLimit = limits.stepLimit();
    double costLimit = limits.costLimitUsd();
    int formatLimit = agent.maxConsecutiveFormatErrors();
    if ((stepLimit > 0 && stepLimit <= calls) || (costLimit > 0 && costLimit <= cost)
        || (formatLimit > 0 && formatLimit <= consecutiveFormatErrors)) {
      finish(LoopExit.limitsExceeded());
      return Optional.empty();
    }
    int stepIndex = calls++;
    int ttl = limits.wallclockTtlSec();
    return Optional.of(RouterContext.live(task.instanceId(), stepIndex, trees.trees(messages),
        List.of(), availableModels, new CacheStateSnapshot(ttl, nowTs, cache.snapshot()), cost,
        new RunConfig(stepLimit, costLimit, ttl, limits.selectTimeout().toMillis() / 1000.0)));
  }

  /**
   * Validates the router's decision (spec 1.3) and returns the chosen pool model. Routers from
   * the router module have checked it against the same pool already; this guards any other
   * {@link RouteChooser} and a journalled decision replayed against a changed pool.
   */
  public PoolModel accept(RouterDecision decision) throws RouterFailure {
    if (decision == null) {
      throw RouterFailure.invalid("router returned no decision");
    }
    if (decision.modelId().isEmpty()) {
      throw RouterFailure.invalid("router decision has an empty model_id");
    }
    PoolModel model = pool.byId(decision.modelId()).orElseThrow(() -> RouterFailure.invalid(
        "router chose '" + decision.modelId() + "', which is not in the pool " + pool.modelIds()));
    if (model.tier() != decision.tier()) {
      throw RouterFailure.invalid("router decision names '" + decision.modelId() + "' of tier "
          + model.tier().wireName() + " with tier " + decision.tier().wireName());
    }
    return model;
  }

  /**
   * The conversation for the next model call: the JSON trees the router saw, shared and
   * read-only, made once per message. mini's {@code extra} blocks are still on them; the model
   * client leaves them out of the request, so the conversation is not copied to send it.
   */
  public List<JsonNode> conversation() {
    return trees.trees(messages);
  }

  /** The tool schemas offered to the model: the bash tool in tool-call mode, else none. */
  public List<JsonNode> tools() {
    return agent.actionFormat() == ActionFormat.TOOL_CALLS ? List.of(BASH_TOOL) : List.of();
  }

  /** Format errors after the last priced step, for the loop's summary row once it has ended. */
  public List<UnusableResponse> unusedPaid() {
    return List.copyOf(unusedPaid);
  }

  /**
   * Steps 4 to 8 for an answered call. A format error is neither priced, traced nor cached, yet
   * its call counted (quirk 2.1.9).
   */
  public TurnResult onTurn(int stepIndex, PoolModel model, RouterDecision decision, ModelTurn turn) {
    requireRunning();
    ParsedActions parsed = parser.parse(turn);
    if (parsed instanceof ParsedActions.FormatError fe) {
      consecutiveFormatErrors++;
      // the reference leaves it unpriced (quirk 2.1.9); the ledger lists it on the next step row
      unusedPaid.add(new UnusableResponse(model.modelId(), "FormatError", turn.usage(),
          turn.usage() == null ? null : turn.usage().costUsd(model.rates())));
      Map<String, Object> m = message("user", fe.feedback());
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("interrupt_type", "FormatError");
      extra.putAll(fe.details());
      m.put("extra", extra);
      messages.add(m);
      return new TurnResult.FormatErrorTurn();
    }
    consecutiveFormatErrors = 0;
    List<Action> actions = ((ParsedActions.Commands) parsed).actions();
    Usage usage = turn.usage();
    if (usage == null) {
      return new TurnResult.Ended(fail(ExitStatus.PROVIDER_ERROR,
          ProviderMissingUsageError.class.getSimpleName(),
          "provider returned no usage (missing usage object)"));
    }
    double stepCost = usage.costUsd(model.rates()) + otherCallsCost(turn);
    cost += stepCost;
    pricedCalls++;
    modelDistribution.merge(model.modelId(), 1, Integer::sum);

    Map<String, Object> last = messages.get(messages.size() - 1);
    int promptCount = messages.size();
    HarnessCache.Lookup lookup = cache.lookup(model.modelId());
    StepRecord record = new StepRecord(task.instanceId(), stepIndex, turn.startedAt(),
        turn.finishedAt(), model.modelId(), decision.tier(), agent.provider(),
        decision.rationale(), AssistantMessage.latencyMs(turn), promptCount,
        String.valueOf(last.get("role")), JsonValues.text(last.get("content")), usage, lookup, stepCost, cost,
        AssistantMessage.content(turn), actions, decision.decisionNanos() / 1e6,
        turn.retries().size(), decision.routerError(), turn.ledger().withUnusableBefore(unusedPaid),
        turn.otherCalls());
    unusedPaid.clear();

    messages.add(assistantMessage(record, turn, actions));
    cache.recordHashed(model.modelId(), trees.prefixHash(messages), usage.promptTokens(),
        turn.finishedAt());
    return new TurnResult.Priced(record, actions);
  }

  /** A routing proxy's other upstream calls of the step, each at its own model's rates. */
  private double otherCallsCost(ModelTurn turn) {
    double sum = 0;
    for (ModelTurn other : turn.otherCalls()) {
      PoolModel m = pool.byId(other.modelId()).orElseThrow(() -> new IllegalStateException(
          "a metered call names '" + other.modelId() + "', which is not in the pool"));
      sum += other.usage().costUsd(m.rates());
    }
    return sum;
  }

  /**
   * Step 9 for one executed action. True when it submitted: the loop has ended and the remaining
   * actions must not run.
   */
  public boolean onActionResult(Action action, ExecResult result, double nowTs) {
    requireRunning();
    Optional<String> submission = Sentinel.submission(result);
    if (submission.isPresent()) {
      finish(LoopExit.submitted(submission.get()));
      return true;
    }
    boolean toolMode = agent.actionFormat() == ActionFormat.TOOL_CALLS;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", toolMode ? "tool" : "user");
    if (toolMode) {
      m.put("tool_call_id", action.toolCallId());
    }
    m.put("content", observations.render(result, calls, cost));
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("raw_output", result.combinedOutput());
    extra.put("returncode", result.exitCode());
    extra.put("timestamp", nowTs);
    extra.put("exception_info", observations.exceptionInfo(result));
    m.put("extra", extra);
    pendingObservations.add(m);
    return false;
  }

  /** Step 10: the step's observations join the history together, after all its actions ran. */
  public void endStep() {
    messages.addAll(pendingObservations);
    pendingObservations.clear();
  }

  /** Ends the loop with an error of the router or the provider; the spend so far is kept. */
  public LoopExit fail(ExitStatus status, String errorClass, String message) {
    requireRunning();
    LoopExit e = LoopExit.error(status, errorClass, message);
    finish(e);
    return e;
  }

  private void finish(LoopExit e) {
    pendingObservations.clear();
    exit = e;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", "exit");
    // As mini: the submission, "LimitsExceeded", or the error's message.
    String errorMessage = e.agentError() == null
        ? null : e.agentError().substring(e.finishedBy().length() + 2);
    m.put("content", switch (e.status()) {
      case SUBMITTED -> e.submission();
      case LIMITS_EXCEEDED -> e.finishedBy();
      default -> errorMessage;
    });
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("exit_status", e.finishedBy());
    extra.put("submission", e.submission());
    if (errorMessage != null) {
      extra.put("exception_str", errorMessage);
    }
    m.put("extra", extra);
    messages.add(m);
  }

  private Map<String, Object> assistantMessage(StepRecord r, ModelTurn turn, List<Action> actions) {
    Map<String, Object> m = AssistantMessage.asMap(turn);
    m.putIfAbsent("role", "assistant");
    List<Map<String, Object>> actionList = new ArrayList<>();
    for (Action a : actions) {
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("command", a.command());
      if (a.toolCallId() != null) {
        am.put("tool_call_id", a.toolCallId());
      }
      actionList.add(am);
    }
    Map<String, Object> sw = new LinkedHashMap<>();
    sw.put("step_index", r.stepIndex());
    sw.put("model_id", r.modelId());
    sw.put("provider", r.provider());
    sw.put("usage", r.usage().bucketsJson());
    sw.put("raw_usage", r.usage().raw());
    sw.put("step_cost_usd", r.stepCostUsd());
    sw.put("latency_ms", r.latencyMs());
    sw.put("started_at", r.startedAt());
    sw.put("finished_at", r.finishedAt());
    sw.put("pricing_schema_version", agent.pricingSchemaVersion());
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("actions", actionList);
    extra.put("response", turn.rawResponse());
    extra.put("cost", r.stepCostUsd());
    extra.put("timestamp", r.finishedAt());
    extra.put("swerouter", sw);
    m.put("extra", extra);
    return m;
  }

  private void requireRunning() {
    if (exit != null) {
      throw new IllegalStateException("the loop of " + task.instanceId() + " has ended: "
          + exit.finishedBy());
    }
  }

  private static Map<String, Object> message(String role, String content) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("content", content);
    return m;
  }
}
