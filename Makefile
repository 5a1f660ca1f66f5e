.PHONY: demo test bench
demo:  ## install and run the main job
	bash scripts/demo
test:  ## install what the tests need and run them all
	bash scripts/test
bench:  ## run the benchmarks (not part of the tests)
	.venv/bin/python benchmarks/bench_coverage.py
	.venv/bin/python benchmarks/bench_projection.py
	.venv/bin/python benchmarks/bench_web.py
