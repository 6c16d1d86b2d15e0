"""Result pages. Thin: parse the request, call a selector, render."""
