"""Demo data: realistic applications in every state, made fast enough to size benchmarks."""
