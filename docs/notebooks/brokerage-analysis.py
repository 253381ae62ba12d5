"""Notebook (jupytext percent format): a brokerage analysis."""

# %% [markdown]
# # A brokerage analysis
#
# placeholder

# %%
import kg

g = kg.open()
