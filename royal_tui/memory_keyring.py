"""A keyring backend that keeps passwords in memory (``.store``), so that the screenshot
generator and the tests never touch the user's OS keyring. Not used by the app itself."""

from __future__ import annotations


def memory_keyring():
    """A new, empty in-memory backend (a ``keyring.backend.KeyringBackend``) for ``keyring.set_keyring``."""
    import keyring.backend
    import keyring.errors

    class MemoryKeyring(keyring.backend.KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            if self.store.pop((service, username), None) is None:
                raise keyring.errors.PasswordDeleteError("not found")

    return MemoryKeyring()
