import subprocess
import sys
from pathlib import Path

from align.tokenize import en_words, tokens, zh_words

ROOT = Path(__file__).parent.parent


def test_zh_words_are_words_without_punctuation() -> None:
    words = zh_words("我市强化组织领导。市委、市政府高度重视就业工作 2021年")
    assert "就业" in words and "2021" in words
    assert not {"。", "、", " "} & set(words)


def test_jieba_is_quiet_and_leaves_logging_alone() -> None:
    # A fresh interpreter: the tokenizer is built once per process.
    code = (
        "import logging; from align.tokenize import zh_words; zh_words('就业连着民心'); "
        "print(len(logging.getLogger().handlers))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert run.stderr == ""
    assert run.stdout.strip() == "0"


def test_en_words() -> None:
    text = "The city’s 751,000 new jobs, a year-on-year increase of 14.5%! People's."
    assert en_words(text) == [
        "the", "city’s", "751,000", "new", "jobs", "a", "year", "on", "year",
        "increase", "of", "14.5", "people's",
    ]  # fmt: skip


def test_tokens_dispatch_on_language() -> None:
    assert tokens("Stable Employment", "en") == ["stable", "employment"]
    assert tokens("稳就业", "zh") == zh_words("稳就业")
