"""Publish: the publication transaction (lock, staging, swap; transaction.py), deterministic file writers
(files.py), the manifest and the refresh fingerprint."""
