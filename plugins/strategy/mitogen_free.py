"""Mitogen's mitogen_free strategy, loaded from the mitogen package pinned in uv.lock (installed in .venv).

ansible.cfg points strategy_plugins here (a repo-relative path, so it works from any clone and any Python
version of .venv); the opt-out is ANSIBLE_STRATEGY=linear (make FAST=0), see docs/lab.md "Converge speed".
"""

import ansible_mitogen.loaders
import ansible_mitogen.strategy

Base = ansible_mitogen.loaders.strategy_loader.get("free", class_only=True)


class StrategyModule(ansible_mitogen.strategy.StrategyMixin, Base):
    """Ansible's free strategy with Mitogen's connection layer."""
