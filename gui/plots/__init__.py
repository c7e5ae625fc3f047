"""Live sensitivity plots, design maps, targets and goal seek (pyqtgraph).

`PlotsPanel` is the self-contained panel the main window embeds as a tab:
    panel = PlotsPanel(parent)
    main.sig_result_changed.connect(panel.set_design)       # (design, result) after every edit
    panel.sig_apply_parameter.connect(main.apply_parameter)  # (parameter name, value): goal seek
"""
from .panel import PlotsPanel

__all__ = ["PlotsPanel"]
