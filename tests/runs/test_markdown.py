from __future__ import annotations

from playground.runs.markdown import render_markdown


def test_it_renders_lists_tables_and_highlighted_code():
    html = render_markdown(
        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```"
    )
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert '<pre class="hl"><code class="language-python">' in html
    assert '<span class="n">x</span>' in html


def test_raw_html_from_the_model_is_shown_as_text():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(2)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_it_drops_javascript_links_and_never_loads_remote_images():
    html = render_markdown("[click](javascript:alert(1)) ![tracker](https://evil.example/p.png)")
    assert 'href="javascript:' not in html
    assert "<img" not in html
    assert 'href="https://evil.example/p.png"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_unknown_code_languages_are_escaped_not_highlighted():
    html = render_markdown("```nosuchlang\n<b>bold</b>\n```")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
