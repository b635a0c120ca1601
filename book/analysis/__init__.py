"""What the data notebook draws and checks: charts with Chinese labels (``charts``, with the
CJK font found by ``fonts``) and the data-quality table (``quality``)."""
