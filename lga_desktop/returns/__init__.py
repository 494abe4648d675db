"""Quarterly returns: build, sign, file format, PDF and verification.

``keys`` (the council's Ed25519 key), ``canonical`` (JSON bytes that hash the
same every time), ``container`` (the exact ZIP layout, read with suspicion),
``fileformat`` (parts, manifest, signature), ``verify`` (the checks, in
words), ``trust`` (the LGA's trusted keys, key cards), ``build`` (a quarter's
snapshot and findings), ``sign`` (declaration, signing, the workspace's
record), ``pdf`` (the printed return and key card).
"""
