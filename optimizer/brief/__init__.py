"""``posture report``: pictures, GeoJSON and a one-file HTML brief of a run or analysis folder.

    import optimizer as po
    drawn = po.report("results/20260101-120000-baseline-highs")   # a Rendered
    drawn.brief, drawn.map, drawn.files
"""

from optimizer.brief.folders import FolderError
from optimizer.brief.render import Rendered, render

report = render  # the flat API's name: po.report(folder, reach=False)

__all__ = ["FolderError", "Rendered", "report"]
