"""Reliability: the fault matrix, call accounting under random faults, fuzzing, and the soak."""
