#!/usr/bin/env bash
# Regenerates the real test-runner logs under logs/ from the small suites under sources/.
# Needs Debian's python3 with python3-pytest, python3-django and python3-sympy:
#   apt-get install -y python3-pytest python3-django python3-sympy
# The suites run in a fixed scratch directory so that the paths printed in the logs are stable.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py=/usr/bin/python3
work=/tmp/twinrouter-grading-logs
rm -rf "$work" && cp -r "$here/sources" "$work"
out="$here/logs"
mkdir -p "$out"
versions() { "$py" -c "import pytest, django, sympy; print('pytest', pytest.__version__, 'django', django.__version__, 'sympy', sympy.__version__)"; }

cd "$work/pytest_suite"
# SWE-bench's command for most repositories
"$py" -m pytest -rA -p no:cacheprovider test_mixed.py > "$out/pytest-rA.log" 2>&1
# a file that fails at import: pytest reports one collection ERROR and runs nothing
"$py" -m pytest -rA -p no:cacheprovider test_collect_error.py > "$out/pytest-collect-error.log" 2>&1
# astropy's command for old versions, coloured (as a terminal-attached run prints it)
"$py" -m pytest -rA -vv -o console_output_style=classic --tb=no --color=yes -p no:cacheprovider \
  test_mixed.py > "$out/pytest-v2-classic-color.log" 2>&1

cd "$work/django_site"
# Django's runner at verbosity 2, as ./tests/runtests.py --verbosity 2 prints it
PYTHONPATH=. "$py" -m django test --settings=settings --verbosity 2 --parallel 1 shop \
  > "$out/django-verbosity2.log" 2>&1

cd "$work/sympy_root"
"$py" run_sympy_tests.py > "$out/sympy-verbose.log" 2>&1

versions > "$out/VERSIONS"
rm -rf "$work"
echo "logs written to $out" >&2
