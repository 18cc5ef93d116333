"""Load generator, reference server and deployment helpers for benchmarks and fault tests."""
