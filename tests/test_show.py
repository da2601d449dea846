"""`python -m pipeline show DOC_ID`: the article marked, then its amounts, times and relations."""
import subprocess
import sys

from conftest import ROOT


def _show(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", "show", *args], cwd=ROOT, capture_output=True, text=True)


def test_show_marks_entities_with_brackets_when_not_a_terminal(small_run):
    result = _show("000_dbd9b23d20324659", "--out", str(small_run))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Tổng Bí thư [Tô Lâm|LEADER] tới [Lào|PLACE]" in out
    assert "\x1b[" not in out
    assert "\namounts (1)" in out and "5 tỷ USD" in out
    assert "\ntimes (3)" in out and "2045" in out
    relations = out[out.index("\nrelations"):]
    assert "đường sắt Viêng Chăn – Vũng Áng" in relations and "connects" in relations and "target_of" in relations


def test_show_colours_on_request_and_writes_the_displacy_view(small_run, tmp_path):
    page = tmp_path / "a.html"
    result = _show("hostile", "--out", str(small_run), "--color", "always", "--html", str(page))
    assert result.returncode == 0, result.stderr
    assert "\x1b[48;5;217;30mPhạm Minh Chính\x1b[0m" in result.stdout
    html = page.read_text(encoding="utf-8")
    assert 'data-label="LEADER"' in html and "Phạm Minh Chính" in html
    assert "&lt;script&gt;" in html and "<script" not in html and "<img" not in html


def test_show_an_unknown_document_is_one_line_and_exit_2(small_run):
    result = _show("nope", "--out", str(small_run))
    assert result.returncode == 2 and result.stderr.startswith("error: no document 'nope'")
    assert len(result.stderr.splitlines()) == 1


def test_show_colours_by_itself_in_a_terminal(small_run):
    import os
    import pty

    leader, follower = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "show", "hostile", "--out", str(small_run)],
                               cwd=ROOT, stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait() == 0
    os.close(leader)
    out = b"".join(chunks).decode("utf-8")
    assert "\x1b[48;5;217;30mPhạm Minh Chính\x1b[0m" in out and "[Phạm Minh Chính|LEADER]" not in out
