"""The documentation a newcomer and an operator read stays true to the code."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_the_settings_read_is_documented():
    settings_source = (ROOT / "portal" / "settings.py").read_text()
    read = set(re.findall(r"env_[a-z]+\(\s*\"([A-Z0-9_]+)\"", settings_source))
    assert len(read) > 20  # the pattern still finds them
    documented = (ROOT / "docs" / "settings.md").read_text()
    missing = sorted(name for name in read if f"`{name}`" not in documented)
    assert not missing, f"not in docs/settings.md: {missing}"


def test_the_readme_starts_with_the_two_commands_and_links_only_existing_docs():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^make (\w+)", readme, flags=re.M)
    assert commands[:2] == ["run", "test"]
    assert len(readme) < 8000  # a first screen, not a manual: the rest lives in docs/
    for link in re.findall(r"\]\(((?:docs|bench)/[^)#]+)", readme):
        assert (ROOT / link).is_file(), link
