package io.twinrouter.agent.grading;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SWE-bench v4.1.0's per-repository, per-version evaluation settings ({@code
 * MAP_REPO_VERSION_TO_SPECS}, {@code MAP_REPO_TO_PARSER}) for the repositories of SWE-bench
 * Verified: only the parts the eval script uses (environment setup happened when the image was
 * built). Note that SWE-bench's plain pytest command is {@code pytest -rA}: its constants define
 * {@code TEST_PYTEST} twice and the second definition wins.
 */
public final class RepoSpecs {

  private static final String PYTEST = "pytest -rA";
  private static final String DJANGO =
      "./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1";
  private static final List<String> DJANGO_LOCALE_OLD =
      List.of(
          "export LANG=en_US.UTF-8",
          "export LC_ALL=en_US.UTF-8",
          "export PYTHONIOENCODING=utf8",
          "export LANGUAGE=en_US:en");
  private static final List<String> DJANGO_LOCALE_3 =
      List.of(
          "sed -i '/en_US.UTF-8/s/^# //g' /etc/locale.gen && locale-gen",
          "export LANG=en_US.UTF-8",
          "export LANGUAGE=en_US:en",
          "export LC_ALL=en_US.UTF-8");

  private static final Map<String, Map<String, RepoSpec>> SPECS = new HashMap<>();

  /**
   * Specs a user added ({@code --specs FILE}), consulted before SWE-bench's own, so an in-house
   * set can also correct one. Process-wide: a command adds them once, before it reads its rows.
   */
  private static final Map<String, Map<String, RepoSpec>> ADDED =
      new java.util.concurrent.ConcurrentHashMap<>();

  static {
    String astropyInstall = "python -m pip install -e .[test] --verbose";
    add("astropy/astropy", new RepoSpec(List.of(), astropyInstall,
            "pytest -rA -vv -o console_output_style=classic --tb=no", LogParsers.PYTEST_V2),
        "0.1", "0.2", "0.3", "0.4", "1.1", "1.2", "1.3");
    add("astropy/astropy", new RepoSpec(List.of(), astropyInstall, PYTEST, LogParsers.PYTEST_V2),
        "3.0", "3.1", "3.2", "4.1", "4.2", "4.3", "5.0", "5.1", "5.2", "v5.3");

    add("django/django",
        new RepoSpec(DJANGO_LOCALE_OLD, "python setup.py install", DJANGO, LogParsers.DJANGO),
        "1.7", "1.8", "1.10", "1.11", "2.0", "2.1", "2.2");
    add("django/django",
        new RepoSpec(List.of(), "python setup.py install", DJANGO, LogParsers.DJANGO),
        "1.4", "1.5", "1.6");
    add("django/django",
        new RepoSpec(DJANGO_LOCALE_OLD, "python setup.py install",
            "./tests/runtests.py --verbosity 2", LogParsers.DJANGO),
        "1.9");
    add("django/django",
        new RepoSpec(DJANGO_LOCALE_3, "python -m pip install -e .", DJANGO, LogParsers.DJANGO),
        "3.0", "3.1", "3.2");
    add("django/django",
        new RepoSpec(List.of(), "python -m pip install -e .", DJANGO, LogParsers.DJANGO),
        "4.0", "4.1", "4.2", "5.0", "5.1", "5.2");

    add("matplotlib/matplotlib",
        new RepoSpec(List.of(), "python setup.py build; python setup.py install", PYTEST,
            LogParsers.MATPLOTLIB),
        "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "2.0", "2.1", "2.2");
    add("matplotlib/matplotlib",
        new RepoSpec(List.of(), "python -m pip install -e .", PYTEST, LogParsers.MATPLOTLIB),
        "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7");
    add("matplotlib/matplotlib",
        new RepoSpec(List.of(), "python -m pip install --no-build-isolation -e \".[dev]\"",
            PYTEST, LogParsers.MATPLOTLIB),
        "3.8", "3.9");

    add("mwaskom/seaborn",
        new RepoSpec(List.of(), "python -m pip install -e .", "pytest --no-header -rA",
            LogParsers.SEABORN),
        "0.11");
    add("mwaskom/seaborn",
        new RepoSpec(List.of(), "python -m pip install -e .[dev]", "pytest --no-header -rA",
            LogParsers.SEABORN),
        "0.12", "0.13", "0.14");

    add("pallets/flask",
        new RepoSpec(List.of(), "python -m pip install -e .", PYTEST, LogParsers.PYTEST),
        "2.0", "2.1", "2.2", "2.3", "3.0", "3.1");

    add("psf/requests",
        new RepoSpec(List.of(), "python -m pip install .", PYTEST, LogParsers.PYTEST_OPTIONS),
        "0.7", "0.8", "0.9", "0.11", "0.13", "0.14", "1.1", "1.2", "2.0", "2.2", "2.3", "2.4",
        "2.5", "2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.17", "2.18", "2.19", "2.22",
        "2.25", "2.26", "2.27", "2.31", "3.0");

    add("pydata/xarray",
        new RepoSpec(List.of(), "python -m pip install -e .", PYTEST, LogParsers.PYTEST),
        "0.12", "0.18", "0.19", "0.20", "2022.03", "2022.06", "2022.09", "2023.07", "2024.05");

    add("pylint-dev/pylint",
        new RepoSpec(List.of(), "python -m pip install -e .", PYTEST, LogParsers.PYTEST_OPTIONS),
        "2.8", "2.9", "2.10", "2.11", "2.13", "2.14", "2.15", "2.16", "2.17", "3.0", "3.1",
        "3.2", "3.3", "4.0");

    add("pytest-dev/pytest",
        new RepoSpec(List.of(), "python -m pip install -e .", PYTEST, LogParsers.PYTEST),
        "4.4", "4.5", "4.6", "5.0", "5.1", "5.2", "5.3", "5.4", "6.0", "6.2", "6.3", "7.0",
        "7.1", "7.2", "7.4", "8.0", "8.1", "8.2", "8.3", "8.4");

    add("scikit-learn/scikit-learn",
        new RepoSpec(List.of(),
            "python -m pip install -v --no-use-pep517 --no-build-isolation -e .", PYTEST,
            LogParsers.PYTEST_V2),
        "0.20", "0.21", "0.22", "1.3", "1.4", "1.5", "1.6");

    add("sphinx-doc/sphinx",
        new RepoSpec(List.of(), "python -m pip install -e .[test]",
            "tox --current-env -epy39 -v --", LogParsers.PYTEST_V2),
        "1.5", "1.6", "1.7", "1.8", "2.0", "2.1", "2.2", "2.3", "2.4", "3.0", "3.1", "3.2",
        "3.3", "3.4", "3.5", "4.0", "4.1", "4.2", "4.3", "4.4", "4.5", "5.0", "5.1", "5.2",
        "5.3", "6.0", "6.2", "7.0", "7.1", "7.2", "7.3", "7.4", "8.0", "8.1");

    add("sympy/sympy",
        new RepoSpec(List.of(), "python -m pip install -e .",
            "PYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose",
            LogParsers.SYMPY),
        "0.7", "1.0", "1.1", "1.2", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "1.11",
        "1.12", "1.13", "1.14");
  }

  private RepoSpecs() {}

  private static void add(String repo, RepoSpec spec, String... versions) {
    Map<String, RepoSpec> byVersion = SPECS.computeIfAbsent(repo, r -> new HashMap<>());
    for (String v : versions) {
      if (byVersion.put(v, spec) != null) {
        throw new IllegalStateException("duplicate spec for " + repo + " " + v);
      }
    }
  }

  public static Optional<RepoSpec> find(String repo, String version) {
    RepoSpec added = ADDED.getOrDefault(repo, Map.of()).get(version);
    return Optional.ofNullable(added != null ? added
        : SPECS.getOrDefault(repo, Map.of()).get(version));
  }

  /** Adds the specs of a {@link SpecsFile}; a later addition for a (repo, version) wins. */
  public static void add(Map<String, Map<String, RepoSpec>> specs) {
    specs.forEach((repo, byVersion) -> ADDED
        .computeIfAbsent(repo, r -> new java.util.concurrent.ConcurrentHashMap<>())
        .putAll(byVersion));
  }

  /** Every repository with specs, e.g. for error messages. */
  public static List<String> repositories() {
    return java.util.stream.Stream.concat(SPECS.keySet().stream(), ADDED.keySet().stream())
        .distinct().sorted().toList();
  }

  /** Every version of {@code repo} with specs, sorted as strings. */
  public static List<String> versions(String repo) {
    return java.util.stream.Stream.concat(SPECS.getOrDefault(repo, Map.of()).keySet().stream(),
        ADDED.getOrDefault(repo, Map.of()).keySet().stream()).distinct().sorted().toList();
  }
}
