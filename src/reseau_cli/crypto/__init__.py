"""Encryption at rest (age): a member's identity, the team's recipients, and the one
layer between the store and the files (read decrypts, write encrypts).

Below the repository and git: it reads and writes files through ``store`` and is handed
the wrapped data keys by the layers above, so it runs no git itself. ``pyrage`` (the age
format, maintained) does every cryptographic operation; no cipher code lives here.
"""
