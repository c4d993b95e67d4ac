""" "Get code" for every page: a request's snippets (Python, JavaScript, curl) rendered from
templates, and one partial that shows them (templates/get_code/_panel.html)."""
