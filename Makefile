# The two commands in the README: `make preview` and `make test`.
.PHONY: setup preview site test validate clean

export NO_MKDOCS_2_WARNING = 1

setup:
	@scripts/setup.sh

preview: setup  ## build the site and serve it with live reload at http://127.0.0.1:8000/atlas/
	.venv/bin/tfgbv serve

site: setup     ## build the static site into site/
	.venv/bin/tfgbv build

validate: setup
	.venv/bin/tfgbv validate

test:           ## everything CI runs: unit tests, site builds (MkDocs and Zensical), browser tests
	@scripts/setup.sh --browser
	.venv/bin/python -m pytest

clean:
	rm -rf site site-zensical docs/generated .pytest_cache
