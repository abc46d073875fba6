"""Charts: the ECharts widget, the chart builders and the network view."""
