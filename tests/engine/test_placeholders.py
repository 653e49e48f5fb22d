"""The anonymiser's placeholders ("[name]", "[NHS number]", "[name?]") and function words never drive a
suggestion, a lexical match or a theme name: the engine reads what the person said, not the marks the
anonymiser left."""
from __future__ import annotations

import numpy as np
import pytest

from goldenthread.engine import CardCallAssistant, HashingEmbedder, KeyphraseNamer
from goldenthread.engine.cardcall_fit import LexicalView
from goldenthread.engine.placeholders import PLACEHOLDER, content_words, only_function_words, strip_placeholders
from goldenthread.privacy import PLACEHOLDERS
from goldenthread.reviews.models.cycles import UNCHECKED_PLACEHOLDER

WALL = {
    "tea": "[name] and [name] came round for tea on Sunday",
    "flat": "My flat is damp and cold in winter",
    "bus": "The bus never comes when it should",
}
CARD = "[name] and [name] argue about the telly every night"


def _assistant(model="hashing", **kw):
    cc = CardCallAssistant(model=model, **kw)
    for cluster, text in WALL.items():
        cc.add(text, cluster)
    return cc


def test_the_engine_knows_every_placeholder_the_anonymiser_writes():
    for placeholder in [*PLACEHOLDERS.values(), UNCHECKED_PLACEHOLDER]:
        assert PLACEHOLDER.fullmatch(placeholder), placeholder
        assert strip_placeholders(f"I rang {placeholder} on Monday") == "I rang on Monday"
    assert strip_placeholders("Me, [name] and [name]'s mum went to the fair") == "Me, mum went to the fair"
    assert strip_placeholders("I like my tea [hot] please") == "I like my tea please"  # any bracketed mark


def test_a_card_of_placeholders_only_embeds_as_nothing():
    V = HashingEmbedder().encode(["[name] and [name]", "[NHS number]", "I see [name?] on Tuesdays", ""])
    assert not V[0].any() and not V[1].any() and not V[3].any()
    assert np.allclose(V[2], HashingEmbedder().encode(["I see on Tuesdays"])[0])


@pytest.mark.parametrize("lexical", [True, False])
def test_cards_sharing_only_name_and_name_are_not_suggested_together(lexical):
    s = _assistant(lexical=lexical).suggest(CARD)
    assert s.new_cluster
    assert s.ranked[0].cluster != "tea"
    scores = {f.cluster: f.score for f in s.ranked}
    assert scores["tea"] < s.threshold  # below "a new cluster", the call for a card like nothing on the wall


@pytest.mark.parametrize("lexical", [True, False])
def test_placeholders_change_nothing_in_a_suggestion(lexical):
    with_marks = _assistant(lexical=lexical).suggest(CARD)
    cc = CardCallAssistant(model="hashing", lexical=lexical)
    for cluster, text in WALL.items():
        cc.add(strip_placeholders(text), cluster)
    without = cc.suggest(strip_placeholders(CARD))
    assert [(f.cluster, f.score) for f in with_marks.ranked] == [(f.cluster, f.score) for f in without.ranked]
    assert with_marks.threshold == without.threshold


def test_the_lexical_view_matches_on_words_not_on_placeholders():
    lex = LexicalView()
    C, w = lex.prototypes(list(WALL.values()), [[WALL["tea"]], [WALL["flat"]]])
    assert not lex.cosines("[name] and [name]", C, w).any()
    assert not lex.cosines("[NHS number], [name?]", C, w).any()
    assert lex.cosines("I want tea", C, w)[0] > 0  # the word itself still counts
    assert content_words("The tea is too cold and [name?] says so") == "tea cold says"


def test_place_the_rest_does_not_group_cards_by_their_placeholders():
    cc = _assistant()
    rest = cc.place_rest([CARD, "[name] rang about my [phone] bill"])
    assert all(p.cluster != "tea" for p in rest.proposals)


@pytest.mark.parametrize("kind", ["working", "not_working", "future"])
def test_no_name_holds_a_placeholder_or_only_function_words(kind):
    groups = [
        ["[name] and [name] came round", "[name] and [name] visit me", "I see [name?] and [name]"],
        ["[name] rings me on [phone]", "[name] texts me", "I call [name] a lot"],
        ["It is what it is", "I do it", "It is"],
        ["I go swimming with [name]", "Swimming at the pool with [name] on Fridays", "I swim every week"],
    ]
    for names in KeyphraseNamer().name(groups, kind=kind):
        for name in names:
            assert not PLACEHOLDER.search(name.text), name
            assert "name" not in name.text.lower().split(), name
            assert not only_function_words(name.text), name


@pytest.mark.slow
def test_with_the_real_model_name_and_name_does_not_pull_a_card_to_a_cluster():
    s = _assistant(model="minilm").suggest(CARD)
    assert s.ranked[0].cluster != "tea" and s.new_cluster
