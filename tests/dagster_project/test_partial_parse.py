"""The dbt step keeps its invocation's saved parse for the next build, and a failure to keep it
never fails the build that succeeded."""

from __future__ import annotations

from dagster_project.defs.transformation import project


def test_the_invocations_parse_replaces_the_projects(tmp_path, monkeypatch) -> None:
    kept = tmp_path / "target" / "partial_parse.msgpack"
    kept.parent.mkdir()
    kept.write_bytes(b"parsed for another profile")
    invocation = tmp_path / "target" / "dbt_models-abc"
    invocation.mkdir()
    (invocation / kept.name).write_bytes(b"parsed for this warehouse")
    monkeypatch.setattr(project, "PARTIAL_PARSE", kept)
    assert project.keep_partial_parse(invocation)
    assert kept.read_bytes() == b"parsed for this warehouse"
    assert sorted(p.name for p in kept.parent.iterdir()) == ["dbt_models-abc", kept.name]


def test_nothing_to_keep_or_nowhere_to_keep_it_is_not_an_error(tmp_path, monkeypatch) -> None:
    invocation = tmp_path / "dbt_models-abc"
    invocation.mkdir()
    monkeypatch.setattr(project, "PARTIAL_PARSE", tmp_path / "gone" / "partial_parse.msgpack")
    assert not project.keep_partial_parse(invocation)  # the invocation saved no parse
    (invocation / "partial_parse.msgpack").write_bytes(b"parsed")
    assert not project.keep_partial_parse(invocation)  # the project's folder is not there
