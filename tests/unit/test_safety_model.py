# ruff: noqa: E501
"""The crisis gate's learned layer (app/safety/model.py): deterministic, thresholds from dev CV, raise-only.

Trained from the DEV corpus only.  The paraphrases below were written for this test (not taken from any corpus);
latency is printed by bench/bench_safety_model.py, never asserted here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.safety import detector, model
from app.safety.detector import assess, crisis_model, normalise


@pytest.fixture(scope="module")
def learned() -> model.CrisisModel:
    found = crisis_model()
    assert found is not None, "the learned layer could not be trained from the dev corpus"
    return found


def _dev_views() -> tuple[list[model.RuleView], list[int]]:
    rows = model.read_training()
    return [detector.training_view(text) for _l, text in rows], [int(label == "crisis") for label, _t in rows]


def test_two_trainings_give_the_same_model(learned: model.CrisisModel) -> None:
    again = model.train(detector.training_view)
    assert again.info.crisis_threshold == learned.info.crisis_threshold
    assert again.info.elevated_threshold == learned.info.elevated_threshold
    texts = [normalise(t) for _l, t in model.read_corpus()[::7]]
    assert [again.score(t) for t in texts] == [learned.score(t) for t in texts]


def test_scorer_equals_the_fitted_pipeline(learned: model.CrisisModel) -> None:
    docs = [model.tokens(normalise(t)) for _l, t in model.read_corpus()[::5]]
    docs.append(model.tokens(normalise("完全没见过的句子 with unseen words xyzzy")))
    scorer = model.Scorer(learned.pipeline)
    fast = np.array([scorer(d) for d in docs])
    slow = learned.pipeline.predict_proba(docs)[:, 1]
    assert np.allclose(fast, slow, rtol=0, atol=1e-12)


def test_thresholds_are_the_ones_dev_cross_validation_gives(learned: model.CrisisModel) -> None:
    views, labels = _dev_views()
    scores = model.out_of_fold([model.tokens(v.norm) for v in views], labels)
    crisis, elevated = model.choose_thresholds(views, labels, scores)
    assert (crisis, elevated) == (learned.info.crisis_threshold, learned.info.elevated_threshold)
    y = np.asarray(labels)
    negatives = int((y == 0).sum())
    rules = np.array([v.crisis for v in views])
    rules_spec = 1 - rules[y == 0].mean()
    # crisis: rules + model cost at most 0.01 of the rules' specificity ...
    combined = model._combined(views, scores, crisis, model.Policy())
    assert 1 - combined[y == 0].mean() >= rules_spec - model.CRISIS_SPECIFICITY_COST - 1e-9
    # ... and it is the lowest such threshold: the highest raisable negative below it would break the budget
    raisable = model._eligible(views, model.Policy()) & (y == 0)
    below = scores[raisable & (scores < crisis)]
    if below.size:
        lower = model._combined(views, scores, float(below.max()), model.Policy())
        assert 1 - lower[y == 0].mean() < rules_spec - model.CRISIS_SPECIFICITY_COST
    # elevated: the model alone keeps 0.98 specificity (or sits at the crisis threshold)
    assert (scores[y == 0] >= elevated).sum() <= (
        1 - model.ELEVATED_SPECIFICITY
    ) * negatives or elevated == crisis
    assert 0.5 < crisis < 1.0


def test_the_stored_calibration_is_this_corpus_cross_validated() -> None:
    views, labels = _dev_views()
    path = model.CORPUS.with_name(model.CALIBRATION_NAME)
    fresh = model.calibrate(views, labels, model._digest(model.CORPUS))
    assert path.read_text(encoding="utf-8") == fresh.as_json(), (
        "app/safety/corpus/calibration.json is not the cross-validation of the dev corpus: run `duck safety calibrate`"
    )


def test_a_stale_calibration_is_not_used(tmp_path: Path, learned: model.CrisisModel) -> None:
    corpus = tmp_path / "dev.tsv"
    corpus.write_text(model.CORPUS.read_text(encoding="utf-8"), encoding="utf-8")
    stale = model.Calibration.from_json(model.CORPUS.with_name(model.CALIBRATION_NAME).read_text("utf-8"))
    (tmp_path / model.CALIBRATION_NAME).write_text(
        model.Calibration(
            **{**stale.__dict__, "corpus_sha256": "0" * 64, "crisis_threshold": 0.99}
        ).as_json(),
        encoding="utf-8",
    )
    assert model.stored_calibration(corpus, model._digest(corpus)) is None
    retrained = model.train(detector.training_view, corpus)
    assert retrained.info.crisis_threshold != 0.99


def test_thresholds_follow_the_corpus(tmp_path: Path, learned: model.CrisisModel) -> None:
    """Not numbers copied from a run: another corpus gives other thresholds."""
    lines = model.CORPUS.read_text(encoding="utf-8").splitlines()
    subset = tmp_path / "dev.tsv"
    subset.write_text("\n".join(lines[::2]) + "\n", encoding="utf-8")
    other = model.train(detector.training_view, subset)
    assert other.info.rows == len(lines[::2])  # no sequences file next to it
    assert (other.info.crisis_threshold, other.info.elevated_threshold) != (
        learned.info.crisis_threshold,
        learned.info.elevated_threshold,
    )


@pytest.mark.parametrize(
    "text",
    ["i just want the pain to stop forever", "i want the hurting to end permanently", "honestly i want to not exist",
     "my life is pointless and i want out for good", "i want to end my suffering for good tonight",
     "我已经写好给爸妈的信了，放在桌上", "我不想再存在了", "我已经准备好离开了"],
)  # fmt: skip
def test_unseen_paraphrases_no_rule_matches_are_raised(text: str, learned: model.CrisisModel) -> None:
    rules, _lowered = detector.rule_view(text)
    assert rules.level == "none", "a rule matches it now: pick a paraphrase the rules do not see"
    assert learned.score(normalise(text)) >= learned.info.crisis_threshold
    found = assess(text)
    assert found.level == ("crisis" if model.RAISE_TO_CRISIS else "elevated")
    assert model.RULE_ID in found.rules and model.CATEGORY in found.categories


def test_raise_to_crisis_lets_the_model_reach_crisis(
    monkeypatch: pytest.MonkeyPatch, learned: model.CrisisModel
) -> None:
    monkeypatch.setattr(model, "RAISE_TO_CRISIS", True)
    found = assess("i want the hurting to end permanently")
    assert found.level == "crisis" and found.rules == [model.RULE_ID]
    assert (
        assess("i would never kill myself").level == "elevated"
    )  # what the rules lowered stays below crisis
    assert assess("我真的撑不下去了").level == "elevated"  # and so does distress the rules read as elevated


@pytest.mark.parametrize(
    "text",
    ["i'm so tired after work today", "累死了今天加班到十点", "笑死我了这个视频", "my phone died again",
     "i'm dying to see that new movie", "that test killed me lol", "这道菜辣死我了", "our team got destroyed in the final match",
     "i'm done with this homework finally", "the plants in my garden all died this winter", "see you tomorrow, going to bed now"],
)  # fmt: skip
def test_hyperbole_and_everyday_life_stay_none(text: str, learned: model.CrisisModel) -> None:
    assert assess(text).level == "none"


def test_what_the_rules_lowered_is_not_raised_back_to_crisis(learned: model.CrisisModel) -> None:
    text = "i would never kill myself"
    rules, lowered = detector.rule_view(text)
    assert lowered and rules.level == "none"
    assert learned.score(normalise(text)) >= learned.info.crisis_threshold  # the model alone would say crisis
    found = assess(text)
    assert found.level == "elevated" and model.RULE_ID in found.rules


def test_distress_the_rules_read_as_elevated_stays_elevated(learned: model.CrisisModel) -> None:
    assert not model.RAISE_ELEVATED_TO_CRISIS
    assert assess("我真的撑不下去了").level == "elevated"


def test_short_messages_are_never_raised(learned: model.CrisisModel) -> None:
    for text in ("ok", "嗯嗯", "好的", "yes", "死"):
        assert model.RULE_ID not in assess(text).rules, text


def test_the_gate_keeps_working_without_the_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(model, "CORPUS", tmp_path / "missing.tsv")
    monkeypatch.setattr(model, "_LOADED", [])
    assert crisis_model() is None
    assert assess("我想结束自己的生命").level == "crisis"
    assert assess("i just want the pain to stop forever").level == "none"  # the rules alone do not see it


@pytest.mark.parametrize("laugh", ["lol", "哈哈哈", "😂", "jk", "哈哈 开玩笑的", "lmao 😂"])
def test_a_bare_laugh_after_a_crisis_message_stays_crisis(laugh: str) -> None:
    found = assess(laugh, context=["我不想活了"])
    assert found.level == "crisis" and "ctx.laugh_after_crisis" in found.rules
    assert assess(laugh, context=["i want to kill myself"]).level == "crisis"
    assert assess(laugh, after_crisis=True).level == "crisis"
    assert assess(laugh).level == "none"
    assert assess(laugh, context=["今天的会开得好长"]).level == "none"


def test_a_laugh_with_more_to_say_is_not_a_bare_laugh() -> None:
    assert assess("哈哈 写完了 去吃饭", context=["作业多到想死"]).level == "none"
    assert assess("lol that was fun", context=["the movie was great"]).level == "none"


def test_safety_eval_prints_the_model_and_its_thresholds(tmp_path: Path, learned: model.CrisisModel) -> None:
    cases = tmp_path / "set.tsv"
    cases.write_text(
        "crisis\ten\ti want to kill myself tonight\nnone\ten\tmy phone died again\n", encoding="utf-8"
    )
    out = CliRunner().invoke(cli, ["safety", "eval", str(cases)])
    assert out.exit_code == 0, out.output
    assert "recall=1.000 (1/1)" in out.output and "specificity=1.000 (1/1)" in out.output
    assert f"crisis >= {learned.info.crisis_threshold:.4f}" in out.output
    assert f"elevated >= {learned.info.elevated_threshold:.4f}" in out.output
    assert "dev CV: rules" in out.output and "tonight" not in out.output
