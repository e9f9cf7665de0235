"""Publish: the output-folder rules (outputs.py), the publication transaction (lock, staging, swap;
transaction.py), deterministic file writers (files.py), the manifest (manifest.py), the refresh fingerprint
(refresh.py) and `dtoc run`'s publication, composed once (run.py)."""
