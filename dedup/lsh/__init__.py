"""Candidate generation by locality-sensitive hashing of MinHash signatures."""

from dedup.lsh.memory import MemoryLsh
from dedup.lsh.params import candidate_probability, optimal_bands

__all__ = ["MemoryLsh", "candidate_probability", "optimal_bands"]
