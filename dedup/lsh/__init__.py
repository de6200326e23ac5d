"""Candidate generation by locality-sensitive hashing of MinHash signatures."""

from dedup.lsh.memory import MemoryLsh
from dedup.lsh.params import candidate_probability, optimal_bands
from dedup.lsh.protocol import LshIndex, make_lsh

__all__ = ["LshIndex", "MemoryLsh", "candidate_probability", "make_lsh", "optimal_bands"]
