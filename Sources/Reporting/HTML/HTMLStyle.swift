/// The report's style sheet: system fonts only, nothing loaded.
enum HTMLStyle {
  static let css = """
    :root { --ink: #1d2330; --muted: #5d6677; --line: #d9dde5; --panel: #f6f7f9; --accent: #2f6fde;
      --frame: #2b303b; --added: #3f9a4a; --changed: #d9a021; --removed: #d2463c; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
    main { padding: 14px 20px 40px; }
    h1 { font-size: 19px; margin: 0; font-weight: 650; word-break: break-all; }
    h2 { font-size: 16px; margin: 22px 0 8px; }
    h3 { font-size: 14px; margin: 0 0 6px; }
    .meta, .muted { color: var(--muted); }
    .meta { font-size: 13px; margin: 2px 0 10px; }
    code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
    .errors { background: #fde8e6; color: #8a1c13; padding: 8px 20px; white-space: pre-wrap; }
    .noscript { padding: 20px; }
    .cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 0 0 12px; }
    .card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 7px 12px; min-width: 150px; }
    .card .label { font-size: 12px; color: var(--muted); }
    .card .value { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; }
    .card .sub { font-size: 12px; color: var(--muted); }
    .map-and-findings { display: flex; gap: 14px; align-items: flex-start; }
    .map-panel { flex: 1 1 auto; min-width: 0; }
    .findings-panel { flex: 0 0 400px; overflow-y: auto; overflow-x: hidden; overflow-wrap: anywhere; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--panel); }
    @media (max-width: 1000px) { .map-and-findings { flex-direction: column; align-items: stretch; } .findings-panel { flex-basis: auto; max-height: none !important; } }
    .toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; margin-bottom: 6px; font-size: 13px; }
    .crumbs { display: flex; flex-wrap: wrap; align-items: center; gap: 2px; min-width: 0; }
    .crumbs button { border: 0; background: none; color: var(--accent); cursor: pointer; font: inherit; padding: 1px 3px; border-radius: 3px; word-break: break-all; text-align: left; }
    .crumbs button:hover { background: #e8effc; }
    .crumbs button[aria-current] { color: var(--ink); font-weight: 650; cursor: default; background: none; }
    .crumbs .sep { color: var(--muted); }
    .modes { display: inline-flex; border: 1px solid var(--line); border-radius: 5px; overflow: hidden; margin-left: auto; }
    .modes button { border: 0; background: #fff; padding: 3px 10px; cursor: pointer; font: inherit; }
    .modes button[aria-pressed="true"] { background: var(--frame); color: #fff; }
    .treemap { display: block; max-width: 100%; background: var(--frame); border-radius: 4px; user-select: none; }
    .treemap:focus { outline: 2px solid var(--accent); outline-offset: 2px; }
    .treemap rect { shape-rendering: crispEdges; }
    .treemap .leaf, .treemap .agg { stroke: rgba(255,255,255,.55); stroke-width: .5; cursor: zoom-in; }
    .treemap .dir { stroke: rgba(0,0,0,.35); stroke-width: 1; cursor: zoom-in; }
    .treemap text { font: 11px system-ui, sans-serif; pointer-events: none; }
    .treemap text.head { font-weight: 650; fill: #fff; }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 12px; margin-top: 6px; font-size: 12px; color: var(--muted); }
    .legend span { display: inline-flex; align-items: center; gap: 4px; }
    .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; flex: none; border: 1px solid rgba(0,0,0,.15); }
    .tooltip { position: fixed; z-index: 10; pointer-events: none; max-width: 520px; background: rgba(20,24,32,.95); color: #fff;
      padding: 7px 10px; border-radius: 5px; font-size: 12px; line-height: 1.45; box-shadow: 0 3px 12px rgba(0,0,0,.3); }
    .tooltip .path { font-weight: 650; word-break: break-all; }
    .tooltip .dim { color: #b9c0cc; }
    .findings-head { margin-bottom: 8px; }
    .finding { border-top: 1px solid var(--line); padding: 7px 0; }
    .finding summary { cursor: pointer; list-style-position: inside; }
    .finding .title { font-weight: 600; }
    .finding .figures { font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
    .finding .fix { font-size: 12.5px; margin: 3px 0 0; }
    .finding .fix b { color: var(--added); }
    .finding ul { margin: 4px 0 0; padding-left: 16px; font-size: 12px; }
    .finding li { word-break: break-all; }
    .finding .detail { color: var(--muted); }
    .sev { display: inline-block; font-size: 10.5px; font-weight: 700; text-transform: uppercase; border-radius: 3px; padding: 0 4px; margin-right: 4px; color: #fff; }
    .sev-high { background: #c0392b; } .sev-medium { background: #d68910; } .sev-low { background: #7f8c8d; } .sev-info { background: #95a5a6; }
    table { border-collapse: collapse; font-size: 13px; }
    th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
    th { font-weight: 600; color: var(--muted); font-size: 12px; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .layers { width: 100%; }
    .layers td.command { max-width: 520px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .bar { display: flex; width: 220px; height: 12px; background: #eef0f3; border-radius: 2px; overflow: hidden; }
    .bar span { display: block; height: 100%; }
    .bar .added { background: var(--added); } .bar .changed { background: var(--changed); } .bar .removed { background: var(--removed); }
    .pair { display: flex; flex-wrap: wrap; gap: 12px 40px; margin-top: 18px; }
    .pair td.mono { word-break: break-all; }
    .compare td.num { min-width: 110px; }
    section.image + section.image { margin-top: 34px; border-top: 3px solid var(--line); padding-top: 8px; }
    footer { margin-top: 24px; font-size: 12px; color: var(--muted); }

    """
}
