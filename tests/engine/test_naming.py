"""Theme names: first person, faithful, and the optional language-model path."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import numpy as np
import pytest

from goldenthread.engine import KeyphraseNamer, LLMNamer, NamingError, ThemeEngine, get_embedder
from goldenthread.engine.naming import ThemeName, first_person_ok, normalise_kind, to_first_person
from tests.engine.conftest import GARDEN, LONELY, MONEY, STATEMENTS


def test_lonely_statements_are_named_i_am_lonely():
    names = KeyphraseNamer().name([LONELY], kind="not_working")[0]
    assert names[0].text == "I am lonely"
    assert names[0].method == "lexicon"


@pytest.mark.parametrize("kind", ["working", "not_working", "future", None])
def test_names_are_first_person_short_and_one_to_three(kind):
    for group in (LONELY, GARDEN, MONEY, ["Quantum lattice simulations"], ["x y"]):
        names = KeyphraseNamer().name([group], kind=kind)[0]
        assert 1 <= len(names) <= 3
        assert first_person_ok(names), [n.text for n in names]
        for n in names:
            assert 1 <= len(n.text.split()) <= 10
            assert n.method in {"lexicon", "statement", "keyphrase", "template"}


def test_kind_shapes_the_name():
    fut = KeyphraseNamer().name([MONEY], kind="future")[0][0].text
    now = KeyphraseNamer().name([MONEY], kind="not_working")[0][0].text
    assert fut == "I want to manage my own money"
    assert now == "I worry about money"


def test_third_person_statements_become_first_person():
    assert to_first_person("She loves her garden") == "I love my garden"
    assert to_first_person("He is lonely") == "I am lonely"
    assert normalise_kind("What's not working") == "not_working"


def test_every_engine_theme_gets_a_name_with_provenance():
    res = ThemeEngine(model="hashing").fit(STATEMENTS, kinds="not_working")
    for t in res.themes:
        assert t.names and first_person_ok(t.names)
        assert all(n.made_by for n in t.names)


# -- the optional language-model namer, against a fake endpoint on loopback ----------
class _FakeLLM(BaseHTTPRequestHandler):
    mode = "good"
    seen: list = []

    def do_POST(self):  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"path": self.path, "body": body,
                                "auth": self.headers.get("Authorization")})
        mode = type(self).mode
        if mode == "http500":
            self.send_response(500)
            self.end_headers()
            return
        if mode == "good":
            content = json.dumps({"names": ["I am lonely", "I see nobody all day"]})
        elif mode == "third_person":
            content = "Loneliness among residents"
        else:  # garbage
            content = None
        payload = {"choices": [{"message": {"role": "assistant", "content": content}}]}
        if mode == "nochoices":
            payload = {"error": "nope"}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture()
def fake_llm():
    server = HTTPServer(("127.0.0.1", 0), _FakeLLM)
    th = threading.Thread(target=server.serve_forever, daemon=True)
    th.start()
    _FakeLLM.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", _FakeLLM
    server.shutdown()
    server.server_close()


def test_llm_namer_uses_openai_compatible_endpoint(fake_llm):
    base, handler = fake_llm
    handler.mode = "good"
    namer = LLMNamer(base_url=base, model="tiny-test", api_key="k123")
    names = namer.name([LONELY], kind="not_working")[0]
    assert [n.text for n in names] == ["I am lonely", "I see nobody all day"]
    assert all(n.method == "llm" and n.model == "tiny-test" for n in names)
    assert names[0].made_by == "llm:tiny-test"
    req = handler.seen[0]
    assert req["path"] == "/v1/chat/completions"
    assert req["auth"] == "Bearer k123"
    assert req["body"]["model"] == "tiny-test"
    assert any("nobody" in m["content"].lower() for m in req["body"]["messages"])


def test_llm_namer_reads_env_vars(fake_llm, monkeypatch):
    base, handler = fake_llm
    handler.mode = "good"
    monkeypatch.setenv("GOLDENTHREAD_LLM_BASE_URL", base)
    monkeypatch.setenv("GOLDENTHREAD_LLM_MODEL", "env-model")
    monkeypatch.delenv("GOLDENTHREAD_LLM_API_KEY", raising=False)
    names = LLMNamer().name([LONELY])[0]
    assert names[0].model == "env-model"
    assert handler.seen[0]["auth"] is None


@pytest.mark.parametrize("mode,msg", [("http500", "HTTP 500"), ("garbage", "empty answer"),
                                      ("nochoices", "no chat completion"),
                                      ("third_person", "no usable first-person")])
def test_llm_namer_bad_answers_fall_back_or_raise(fake_llm, mode, msg):
    base, handler = fake_llm
    handler.mode = mode
    with pytest.raises(NamingError, match=msg):
        LLMNamer(base_url=base, model="m", fallback=None).name([LONELY], kind="not_working")
    names = LLMNamer(base_url=base, model="m").name([LONELY], kind="not_working")[0]
    assert names[0].text == "I am lonely"
    assert names[0].method == "lexicon"
    assert msg in names[0].note and "fallback" in names[0].note


def test_llm_namer_unconfigured_or_unreachable(monkeypatch):
    monkeypatch.delenv("GOLDENTHREAD_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("GOLDENTHREAD_LLM_MODEL", raising=False)
    with pytest.raises(NamingError, match="GOLDENTHREAD_LLM_BASE_URL"):
        LLMNamer(fallback=None).name([LONELY])
    with pytest.raises(NamingError, match="unreachable"):
        LLMNamer(base_url="http://127.0.0.1:9", model="m", timeout=2, fallback=None).name([LONELY])


def test_engine_with_llm_namer(fake_llm):
    base, handler = fake_llm
    handler.mode = "good"
    res = ThemeEngine(model="hashing", namer=LLMNamer(base_url=base, model="m")).fit(LONELY)
    assert res.themes[0].names[0].method == "llm"


# -- names never carry people's names, placeholders or loose pronouns ------------------

def test_proper_names_are_found_by_how_they_are_written():
    from goldenthread.engine.naming import proper_names

    texts = ["I see Priya on Tuesdays", "Priya takes me swimming", "priya is kind",
             "Jo has learned to cook", "Cooking is fun", "I like cooking", "Staff are nice",
             "the staff are nice", "Dev's brother holds my money"]
    assert proper_names(texts) == {"priya", "jo", "dev"}  # one lower-case slip, days are not names


def test_theme_names_never_contain_a_persons_name_or_a_placeholder():
    namer = KeyphraseNamer()
    groups = [
        ["Marcus takes me to the football", "I go to the football with Marcus",
         "Marcus and me watch the football", "Football with Marcus on Saturdays"],
        ["[name] helps me with my letters", "I need help with letters from [name]",
         "My letters pile up until [name] comes"],
    ]
    for kind in ("working", "not_working", "future", None):
        for names in namer.name(groups, kind=kind):
            for n in names:
                assert "marcus" not in n.text.lower(), n
                assert "[" not in n.text and "name" not in n.text.lower().split(), n


def test_a_name_does_not_lean_on_a_pronoun_and_third_person_becomes_first():
    namer = KeyphraseNamer()
    got = namer.name([["They get me", "They really get me and listen",
                       "The staff understand me"]], kind="working")[0]
    assert all(n.text != "They get me" for n in got)
    assert to_first_person("he knows who's coming") == "I know who's coming"
    assert to_first_person("she washes her own clothes") == "I wash my own clothes"


def test_keyphrase_templates_say_my_for_what_is_ones_own():
    from goldenthread.engine.naming_words import fill_template

    assert fill_template("I struggle with {the}{p}", "mum") == "I struggle with my mum"
    assert fill_template("I struggle with {the}{p}", "paperwork") == "I struggle with the paperwork"


# -- names are real "I statements": a verb, grammar, one per theme, written for the kind --

from goldenthread.engine.grammar import fits_kind, fix_agreement, has_verb  # noqa: E402

STAFF_GOOD = ["I like my staff, they are kind", "The staff are kind and patient",
              "My support workers are brilliant", "I like the staff who help me"]
LIVE_ALONE = ["Live in my own flat", "I want to live on my own", "To have my own place one day",
              "Jo wants to live on her own"]
NIGHTS = ["She shouts in the dark", "I shouts at night when I am upset", "Shouting at night"]


def _first(groups, kind):
    return [names[0].text for names in KeyphraseNamer().name(groups, kind=kind)]


@pytest.mark.parametrize("kind,group,starts", [
    ("working", STAFF_GOOD, ("I like", "I enjoy", "I am happy", "I find", "My")),
    ("not_working", MONEY, ("I worry", "I don't", "I can't", "I struggle", "I am not")),
    ("future", LIVE_ALONE, ("I want", "I would like")),
])
def test_each_kind_gets_a_name_in_its_own_voice(kind, group, starts):
    name = _first([group], kind)[0]
    assert name.startswith(starts), name
    assert fits_kind(name, kind) and has_verb(name)


def test_a_future_card_without_a_subject_becomes_i_want_to():
    name = _first([["Live in my own flat"]], "future")[0]
    assert name == "I want to live in my own flat"


def test_the_wording_of_the_most_central_card_is_preferred():
    group = ["I love the quiz at the pub", "The quiz is brilliant fun", "Going to the pub quiz"]
    got = KeyphraseNamer().name([group], kind="working", centrality=[[0.9, 0.5, 0.4]])[0]
    assert got[0].text == "I love the quiz at the pub"
    assert got[0].method == "statement"


def test_ungrammatical_cards_are_put_right():
    assert fix_agreement("I shouts at night") == "I shout at night"
    assert fix_agreement("I has a dog") == "I have a dog"
    assert fix_agreement("I is happy here") == "I am happy here"
    assert fix_agreement("I always worries about my bills") == "I always worry about my bills"
    assert fix_agreement("We goes to the shops") == "We go to the shops"
    assert fix_agreement("I doesn't like it") == "I don't like it"
    assert fix_agreement("I miss my mum") == "I miss my mum"  # "-ss" is not a third-person "-s"
    got = KeyphraseNamer().name([NIGHTS], kind=None, centrality=[[0.6, 0.9, 0.5]])[0]
    assert got[0].text == "I shout at night", got


def test_noun_phrase_themes_become_sentences_with_a_verb():
    groups = [["My money"], ["Bus pass", "bus pass"], ["Garden"], ["The away days"]]
    for kind in ("working", "not_working", "future", None):
        for names in KeyphraseNamer().name(groups, kind=kind):
            for n in names:
                assert has_verb(n.text), (kind, n.text)
                assert not n.text.startswith(("The ", "Getting ")), n.text
                assert "matters to me" not in n.text or n.text.startswith("My "), n.text


def test_names_are_unique_within_a_kind():
    # four themes about the same life area would all be "I worry about money"
    groups = [MONEY, ["I can't pay my bills", "My bills are too high"],
              ["Money is always tight", "I never have enough money"],
              ["My benefits were cut", "I worry about my benefits"]]
    for kind in ("working", "not_working", "future", None):
        first = _first(groups, kind)
        assert len(set(n.lower() for n in first)) == len(first), (kind, first)
        for names in KeyphraseNamer().name(groups, kind=kind):
            alternatives = [n.text for n in names[1:]]
            assert not set(alternatives) & set(first), (alternatives, first)


def test_engine_names_are_unique_within_each_kind():
    res = ThemeEngine(model="hashing").fit(STATEMENTS * 2 + MONEY, kinds="not_working")
    names = [t.name.lower() for t in res.themes]
    assert len(names) == len(set(names)), names


@pytest.mark.parametrize("kind", ["working", "not_working", "future", None])
def test_every_name_is_at_most_ten_words(kind):
    long_cards = [["I would really like to be able to go to the big football match with my "
                   "brother and his friends every single week"],
                  ["Quantum chromodynamics lattice simulations fascinate me enormously every day"]]
    for names in KeyphraseNamer().name(long_cards, kind=kind):
        for n in names:
            assert 1 <= len(n.text.split()) <= 10, n.text
            assert first_person_ok([n]), n.text


def test_a_name_for_what_works_says_nothing_negative_and_no_wish():
    for name in _first([MONEY, LONELY, GARDEN], "working"):
        assert fits_kind(name, "working"), name
        assert "n't" not in name and " not " not in name and "want" not in name, name


def test_a_third_person_card_about_the_person_is_put_in_their_voice():
    got = KeyphraseNamer().name([["Jo loves going out for a meal", "Jo loves a meal out",
                                  "Going out for a meal is her favourite"]], kind="working",
                                centrality=[[0.9, 0.7, 0.6]])[0]
    assert got[0].text == "I love going out for a meal"
    # but a card that speaks about the person in the first person keeps its speaker
    got = KeyphraseNamer().name([["Marcus takes me to the football"]], kind="working")[0]
    assert all("I take me" not in n.text and "marcus" not in n.text.lower() for n in got)


def test_themes_with_no_usable_words_still_get_different_sentences():
    groups = [["[name]"], ["XXXX 12 34"], ["..."], ["Monday"]]
    for kind in ("working", "not_working", "future", None):
        first = _first(groups, kind)
        assert len(set(first)) == 4, first
        assert all(has_verb(n) and fits_kind(n, kind) for n in first), first


def test_a_card_starting_there_is_is_not_read_as_someone_called_there():
    from goldenthread.engine.naming_words import clauses_of, proper_names

    cards = ["There is no bus into town after six", "There is nobody to take me out"]
    assert proper_names(cards) == set()
    assert not any(c.startswith("I am no") for card in cards for c in clauses_of(card, proper_names(cards),
                                                                                "not_working"))


# -- contrastive choice: with an embedder, each name picks out its own theme ----------
BUS_AT_NIGHT = ["The last bus goes before the night starts", "No bus at night so I stay in",
                "The buses stop at night and taxis cost too much", "I can't get the bus home at night"]


def _unit(m):
    m = np.asarray(m, dtype=float)
    return m / np.maximum(np.linalg.norm(m, axis=-1, keepdims=True), 1e-12)


def test_with_an_embedder_each_name_is_nearer_its_own_theme_than_any_other():
    emb = get_embedder("hashing")
    groups = [LONELY, GARDEN, MONEY, BUS_AT_NIGHT]
    for kind in ("working", "not_working", "future", None):
        got = KeyphraseNamer().name(groups, kind=kind, embedder=emb)
        C = _unit([_unit(emb.encode(g)).mean(axis=0) for g in groups])
        V = _unit(emb.encode([n[0].text for n in got]))
        assert list((V @ C.T).argmax(axis=1)) == [0, 1, 2, 3], (kind, [n[0].text for n in got])
        first = [n[0].text.lower() for n in got]
        assert len(set(first)) == len(first), first
        assert first_person_ok([x for n in got for x in n])


def test_with_an_embedder_a_name_is_never_one_cards_whole_sentence():
    jobs = ["I want a paid job", "I want a job in a shop", "A paid job would mean a lot to me",
            "I want to work in a shop"]
    got = KeyphraseNamer().name([jobs, GARDEN], kind="future", embedder=get_embedder("hashing"))[0]
    cards = {c.lower() for c in jobs}
    assert got and all(n.text.lower().rstrip(".") not in cards for n in got), [n.text for n in got]


def test_a_central_clause_no_other_card_shares_a_word_with_is_not_offered():
    # the most central card is about the telly; no other card in the theme is
    cards = ["We argue about the telly every night", "The bus never comes on time",
             "I wait an hour for the bus", "The bus is always late"]
    got = KeyphraseNamer().name([cards, GARDEN], kind=None, centrality=[[0.9, 0.8, 0.7, 0.6],
                                                                       [1.0] * len(GARDEN)],
                                embedder=get_embedder("hashing"))[0]
    assert all("telly" not in n.text.lower() for n in got), [n.text for n in got]


def test_a_keyphrase_template_only_names_a_word_the_cards_use_as_a_thing():
    # "paid" is never written after "the"/"my"/"a": no "I like the paid"
    groups = [["Pay is ok", "I get paid on time", "Paid weekly which suits me"], GARDEN]
    for names in KeyphraseNamer().name(groups, kind="working", embedder=get_embedder("hashing")):
        assert all("the paid" not in n.text.lower() for n in names), [n.text for n in names]


def test_the_engine_gives_its_embedder_and_every_members_centroid_to_a_namer_that_takes_them():
    seen = {}

    class Takes:
        def name(self, groups, kind=None, centrality=None, embedder=None, centroids=None):
            seen["embedder"], seen["centroids"] = embedder, centroids
            return [[ThemeName(text=f"I like thing {i}", method="test")] for i in range(len(groups))]

    class Plain:  # an older namer, with no embedder parameter, still works
        def name(self, groups, kind=None, centrality=None):
            return [[ThemeName(text=f"I like thing {i}", method="test")] for i in range(len(groups))]

    res = ThemeEngine(model="hashing", namer=Takes()).fit(STATEMENTS, kinds="not_working")
    assert seen["embedder"] is not None
    assert np.asarray(seen["centroids"]).shape == (len(res.themes), seen["embedder"].dim)
    res = ThemeEngine(model="hashing", namer=Plain()).fit(STATEMENTS, kinds="not_working")
    assert all(t.name.startswith("I like thing") for t in res.themes)


def test_engine_names_chosen_contrastively_stay_unique_and_first_person():
    res = ThemeEngine(model="hashing").fit(STATEMENTS * 2 + MONEY + BUS_AT_NIGHT, kinds="not_working")
    names = [t.name.lower() for t in res.themes]
    assert len(names) == len(set(names)), names
    assert all(first_person_ok(t.names) for t in res.themes)
