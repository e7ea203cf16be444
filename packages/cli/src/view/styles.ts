/**
 * The page's stylesheet, inlined into every page. Phase colours come with a pattern each (stripes,
 * dots, cross-hatch...) so no phase is told by colour alone; text on them keeps a contrast of at
 * least 4.5:1 (dark text on light fills).
 */
export const styles = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--line:#d0d7de;--accent:#0a58ca;--row:28px;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
*{box-sizing:border-box}body{margin:0;padding:12px 16px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:8px 0}h3{font-size:14px;margin:8px 0}
.meta,.note,.diagram-caption{color:var(--muted)}.note{margin:2px 0;font-size:12px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
:focus-visible{outline:3px solid var(--accent);outline-offset:1px}
.verdicts{border:1px solid var(--line);border-radius:6px;padding:4px 10px;margin:8px 0}
.verdicts.held{border-color:#1a7f37;background:#f0fff4}.verdicts.broken{border-color:#cf222e;background:#fff5f5}
.verdicts summary{cursor:pointer}.verdicts summary h2{display:inline;margin:0}.verdicts ul{margin:4px 0;padding-left:18px}.verdicts li.broken{color:#a40e26;font-weight:600}.verdicts .detail{color:var(--muted);font-weight:400}
.controls{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin:8px 0;position:sticky;top:0;background:var(--bg);z-index:3;padding:4px 0}
.controls input[type=range]{flex:1 1 240px;min-width:160px}
.controls button,.controls select{font:inherit;padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:#f6f8fa;color:var(--fg)}
#clock{font-variant-numeric:tabular-nums;min-width:5em;text-align:right;font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;list-style:none;padding:0;margin:6px 0}
.legend li{display:flex;align-items:center;gap:5px}
.swatch{display:inline-block;width:22px;height:14px;border:1px solid #444;border-radius:3px}
.split{display:grid;grid-template-columns:minmax(0,3fr) minmax(300px,2fr);gap:14px;align-items:start}
@media (max-width:900px){.split{grid-template-columns:minmax(0,1fr)}body{padding:8px}}
.timeline{border:1px solid var(--line);border-radius:6px;overflow:hidden;min-width:0}
.head,.lane,.row{display:grid;grid-template-columns:9rem 9rem minmax(0,1fr);align-items:center;height:var(--row)}
@media (max-width:600px){.head,.lane,.row{grid-template-columns:6rem 6.5rem minmax(0,1fr)}}
.head{background:#f6f8fa;border-bottom:1px solid var(--line);font-weight:600}
.lane{border-bottom:1px solid var(--line);background:#fbfbfc}
.cell{padding:0 6px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.cell.status{border-radius:3px;margin:0 4px;padding:1px 4px}.cell.status.absent{color:var(--muted)}
.axis{position:relative;height:100%;margin:0 8px}
.axis span{position:absolute;top:6px;transform:translateX(-50%);font-weight:400;color:var(--muted);font-size:11px}
.axis span:first-child{transform:none}
.rows{position:relative;height:min(62vh,560px);overflow:auto;outline-offset:-3px}
.spacer{position:relative}
.row,.group{position:absolute;left:0;right:0;height:var(--row)}
.group{padding:6px 6px 0;font-weight:600;background:#f6f8fa;border-top:1px solid var(--line);color:#24292f}
.row{cursor:pointer;border-bottom:1px solid #f0f2f4}
.row:hover{background:#f6f8fa}.row.active{box-shadow:inset 3px 0 0 var(--accent)}
.row[aria-selected=true]{background:#e7f0ff}
.track{position:relative;height:18px;margin:0 8px}
.seg{position:absolute;top:0;height:100%;border:1px solid rgba(0,0,0,.35);border-radius:2px}
.mark{position:absolute;top:-3px;width:0;height:0;transform:translateX(-5px);border-left:5px solid transparent;border-right:5px solid transparent;border-top:8px solid #0a58ca;z-index:1}
.mark.mk-refused{border-top-color:#cf222e}.mark.mk-fail,.mark.mk-crash{border-top-color:#a40e26;border-top-width:10px}
.mark.mk-system{border-top-color:#6f42c1}.mark.mk-pending{border-top-color:#9a6700}
.cursor{position:absolute;top:-5px;bottom:-5px;width:2px;background:#000;transform:translateX(-1px);z-index:2;pointer-events:none}
.detail{border:1px solid var(--line);border-radius:6px;padding:4px 10px;min-width:0}
.diagram-wrap{margin:0}.diagram-scroll{overflow:auto;max-height:70vh}
.diagram{max-width:100%;height:auto;font-size:13px}
.diagram .box{stroke:#444;stroke-width:1.2}.diagram .inner{fill:none;stroke:#444;stroke-width:1}
.diagram .node text{fill:#111;pointer-events:none}
.diagram .node.initial .box{stroke-width:2.4}
.diagram .node.current .box{stroke:#0a58ca;stroke-width:4}.diagram .node.current text{font-weight:700}
.diagram .edge{fill:none;stroke:#6e7781;stroke-width:1.3}.diagram .edge.back{stroke-dasharray:4 3}
.diagram .arrowhead{fill:#6e7781}
.history{overflow-x:auto}.history-table{border-collapse:collapse;width:100%}.history-table td{overflow-wrap:anywhere}.history-table td:first-child{white-space:nowrap}
.history-table th,.history-table td,.statuses th,.statuses td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
.statuses{border-collapse:collapse;width:100%;margin:8px 0}.statuses caption{text-align:left;color:var(--muted)}
.statuses tr:focus,.statuses tr:hover{background:#f6f8fa}
.reasons{margin:0}.reasons dt{font-weight:600}.reasons dd{margin:0 0 4px 10px;color:var(--muted)}
.chip{padding:1px 6px;border-radius:3px;border:1px solid rgba(0,0,0,.35)}
.kind{border-top:1px solid var(--line);padding-top:6px;margin-top:14px}
nav ul{margin:4px 0}nav>ul>li{margin-bottom:4px}nav ul ul{display:inline;padding:0}nav ul ul li{display:inline;margin-left:8px}
.ph-Pending{background:#e6e8eb repeating-linear-gradient(135deg,transparent 0 6px,rgba(0,0,0,.14) 6px 8px)}
.ph-Queued{background:#fff1b8 radial-gradient(rgba(0,0,0,.28) 1.2px,transparent 1.6px) 0 0/6px 6px}
.ph-Starting{background:#cfe8ff repeating-linear-gradient(90deg,transparent 0 5px,rgba(0,0,0,.16) 5px 7px)}
.ph-Running{background:#9fd7ff}
.ph-Degraded{background:#ffd8a8 repeating-linear-gradient(45deg,transparent 0 4px,rgba(0,0,0,.2) 4px 6px)}
.ph-Stopping{background:#e9d5ff repeating-linear-gradient(0deg,transparent 0 5px,rgba(0,0,0,.16) 5px 7px)}
.ph-Unknown{background:#f2f2f2 repeating-linear-gradient(45deg,transparent 0 3px,rgba(0,0,0,.2) 3px 4px),repeating-linear-gradient(135deg,transparent 0 3px,rgba(0,0,0,.2) 3px 4px)}
.ph-Succeeded{background:#aceebb}
.ph-Failed{background:#ffc1c0 repeating-linear-gradient(135deg,transparent 0 3px,rgba(120,0,0,.35) 3px 5px)}
.ph-Stopped{background:#d8dee4 repeating-linear-gradient(90deg,transparent 0 2px,rgba(0,0,0,.3) 2px 3px)}
.ph-Deleted{background:#8c959f repeating-linear-gradient(135deg,transparent 0 5px,rgba(255,255,255,.45) 5px 7px)}
.diagram .ph-Pending .box{fill:#e6e8eb}.diagram .ph-Queued .box{fill:#fff1b8}.diagram .ph-Starting .box{fill:#cfe8ff}
.diagram .ph-Running .box{fill:#9fd7ff}.diagram .ph-Degraded .box{fill:#ffd8a8}.diagram .ph-Stopping .box{fill:#e9d5ff}
.diagram .ph-Unknown .box{fill:#f2f2f2}.diagram .ph-Succeeded .box{fill:#aceebb}.diagram .ph-Failed .box{fill:#ffc1c0}
.diagram .ph-Stopped .box{fill:#d8dee4}.diagram .ph-Deleted .box{fill:#c9cfd5}
`;
