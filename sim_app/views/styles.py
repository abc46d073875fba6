"""The page's CSS: a header, then either the explore view (controls beside the charts) or the
projector view (one screen, no scrolling). Nothing is laid over anything else: on narrow
screens the panes stack (charts first, then the controls) instead of sliding over."""

CSS = """
html, body { margin: 0; }
.v-application--wrap { min-height: 0 !important; }
.app-root { display: flex; flex-direction: column; height: 100vh; width: 100%; }
.app-header { display: flex; align-items: center; gap: 6px; flex-wrap: wrap;
  padding: 4px 12px; background: #1f5fa8; color: white; flex: 0 0 auto; }
.app-header .app-title { font-size: 1.15rem; font-weight: 600; margin-right: auto;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.app-header .v-btn { color: white !important; }
.app-header .mode-active { background: rgba(255, 255, 255, 0.22) !important; }
.app-body { display: flex; flex: 1 1 auto; min-height: 0; }
.side { width: 340px; flex: 0 0 340px; overflow-y: auto; padding: 8px 12px; order: 1;
  border-right: 1px solid #e5e7eb; background: #fafafa; }
.main { flex: 1 1 auto; min-width: 0; overflow-y: auto; padding: 8px 12px; order: 2; }
.url-error { margin: 4px 12px; }
.param-label { font-size: 0.85rem; font-weight: 500; }
.param-help { font-size: 0.72rem; color: #666; line-height: 1.2; }
.charts-grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
.charts-grid > .diff-box { grid-column: span 1; }
.kpi-row { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
.kpi-card { flex: 1 1 130px; min-width: 130px; padding: 6px 10px; background: white;
  border-radius: 6px; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.15); }
.kpi-title { font-size: 0.8rem; color: #555; }
.kpi-value { font-size: 1.15rem; font-weight: 600; white-space: nowrap; }
.kpi-range { font-size: 0.75rem; color: #555; white-space: nowrap; }
.kpi-range-note { font-size: 0.72rem; color: #666; margin: -4px 0 4px 0; }
.month-label { font-size: 1.2rem; font-weight: 600; }
.file-input { border: 2px dashed #9ca3af; border-radius: 6px; padding: 8px; text-align: center; }
.file-input--over { border-color: #1f5fa8; background: #eef4fb; }
.file-input-button { position: relative; cursor: pointer; max-width: 100%;
  height: auto !important; min-height: 36px; padding: 6px 12px !important; }
.file-input-button .v-btn__content { white-space: normal; flex-shrink: 1; line-height: 1.3; }
.export-panel .summary-buttons { flex-wrap: wrap; }
.param-inactive { opacity: 0.5; }
.export-panel .v-btn { max-width: 100%; height: auto !important; min-height: 36px; }
.export-panel .v-btn__content { white-space: normal; flex-shrink: 1; line-height: 1.3; }
.export-panel .v-alert { overflow-wrap: anywhere; }
.file-input-hint { font-size: 0.75rem; color: #666; margin-top: 4px; }
/* projector: everything on one screen, type for the back of the room */
.projector { display: flex; flex-direction: column; height: 100%; gap: 6px; padding: 6px 12px; }
/* below the header the projector takes what is left, never more (a banner shrinks the charts) */
.app-root > .projector { flex: 1 1 auto; min-height: 0; height: auto; overflow: hidden; }
.proj-top { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; flex: 0 0 auto; }
.projector .v-btn { font-size: 1.05rem; }
.projector .v-btn.v-size--large { font-size: 1.15rem; }
.extra-label { font-size: 1rem; color: #444; }
.kpi-compact { display: flex; align-items: center; gap: 12px; flex: 0 0 auto; flex-wrap: wrap; }
.kpi-compact .month-label { font-size: 1.6rem; white-space: nowrap; }
/* chips are never cut: one that does not fit goes to a second row */
.kpi-compact .kpi-row { flex-wrap: wrap; margin: 0; gap: 6px 8px; flex: 1 1 auto; min-width: 0; }
.kpi-compact .kpi-card { flex: 1 0 auto; min-width: 0; padding: 2px 10px; }
.kpi-compact .kpi-title { font-size: 1rem; white-space: nowrap; }
.kpi-compact .kpi-value { font-size: 1.35rem; line-height: 1.2; white-space: nowrap; }
.proj-top .player { flex-wrap: nowrap !important; }
.extra-switch { flex-wrap: wrap; }
.story-banner { flex: 0 0 auto; display: flex; align-items: center; gap: 4px 16px;
  flex-wrap: wrap; background: #fff7e6; border-left: 6px solid #d97706; padding: 4px 12px; }
.story-banner--empty { display: none; }
.story-caption { font-size: 1.45rem; font-weight: 700; line-height: 1.2; }
.story-question { font-size: 1.25rem; line-height: 1.25; flex: 1 1 20em; }
.proj-charts { flex: 1 1 auto; min-height: 0; display: flex; gap: 8px; }
.proj-chart { flex: 1 1 0; min-width: 0; min-height: 0; height: 100%; }
.room-code { font-size: 3rem; font-weight: 800; letter-spacing: 0.2em; color: #1f5fa8; }
.room-url { font-size: 1rem; word-break: break-all; }
.room-qr svg { width: 220px; height: 220px; }
.room-status { font-size: 1.1rem; font-weight: 600; line-height: 1.3; padding: 3px 12px;
  background: #eef4fb; border-left: 6px solid #1f5fa8; }
.room-over { font-weight: 600; color: #15803d; }
.room-names { max-height: 7.5em; overflow-y: auto; }
.room-side .summary-buttons { flex-wrap: wrap; }
.room-main, .fork-main { display: flex; flex-direction: column; padding: 0; overflow: hidden; }
.room-main .projector, .fork-main .projector { flex: 1 1 auto; min-height: 0; }
.room-status { flex: 0 0 auto; }
.fork-shown { font-weight: 600; }
@media (max-width: 900px) {
  .app-root { height: auto; }
  .app-body { flex-direction: column; }
  .side { width: auto; flex: 0 0 auto; order: 2; border-right: none; overflow: visible; }
  .main { order: 1; overflow: visible; }
  .charts-grid { grid-template-columns: minmax(0, 1fr); }
  .projector { height: auto; }
  .room-main, .fork-main { overflow: visible; }
  .proj-charts { flex-direction: column; }
  .proj-chart { height: 360px; flex: 0 0 360px; }
  .kpi-compact .kpi-card { flex: 1 1 40%; }
  .proj-top .player { flex-wrap: wrap !important; }
  .app-header .app-title { display: none; }
}
"""
