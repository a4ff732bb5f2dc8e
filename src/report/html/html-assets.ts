/**
 * The page's only stylesheet and script, inlined (the report is one file that fetches nothing).
 * Without the script every rendered row and section is still reachable: details open natively,
 * and paged tables simply show all their rendered rows.
 */
export const REPORT_CSS = `
#triage textarea{width:100%;font-family:monospace}
.triage-label{display:block;font-size:.85em;white-space:nowrap}
#overview .since{font-size:1.05em}
.top-causes li{margin:.3em 0}
.drift-chart text{font-size:12px;fill:currentColor}
.drift-chart .drift-bar{fill:#6b7b8c}
.drift-chart .drift-bar.over{fill:#b3261e}
.drift-chart .drift-row.over text{font-weight:bold}
.drift-chart .axis{stroke:currentColor;stroke-width:1}
.drift-chart .threshold{stroke:#b3261e;stroke-dasharray:4 3}
.drift-chart .threshold-label{font-size:11px}
table.heatmap{border-collapse:collapse;font-size:.8em}
table.heatmap td,table.heatmap th{border:1px solid #ccc;padding:2px 4px;text-align:right;white-space:nowrap}
table.heatmap th[scope=row]{text-align:left;max-width:22em;overflow:hidden;text-overflow:ellipsis}
table.heatmap td a{color:inherit;text-decoration:none;display:block}
table.period-data td{text-align:right;font-variant-numeric:tabular-nums}
tr:target>*{outline:2px solid #0b4a8b;background:#e6eef8}
table.heatmap td i{opacity:.75;font-style:normal;display:block}
table.heatmap td.h1{background:#f3e8e6}
table.heatmap td.h2{background:repeating-linear-gradient(45deg,#ecc9c3,#ecc9c3 3px,#f6e3df 3px,#f6e3df 6px)}
table.heatmap td.h3{background:repeating-linear-gradient(45deg,#d98f84,#d98f84 3px,#ecc9c3 3px,#ecc9c3 6px);font-weight:bold}
details.consequences{margin-top:4px;font-size:.92em}
details.consequences>summary{cursor:pointer;color:#0b4a8b}
details.consequences ul{margin:4px 0 0;padding-left:1.2em}
li.consequence{margin:2px 0}
li.consequence .triage-label{display:inline;margin-right:4px}
.change{white-space:normal}
ol.root-causes{padding-left:1.4em}
ol.root-causes>li{margin:0 0 8px}
details.cause{border:1px solid var(--line);background:#fff}
details.cause>summary{cursor:pointer;padding:6px 10px;background:var(--soft)}
details.cause[open]>summary{border-bottom:1px solid var(--line)}
details.cause .cause-facts{font-size:.9em;color:#333}
.cause-body{padding:6px 12px}
.triage-cause-label{display:block;margin:4px 0;font-weight:600}
th.sortable{cursor:pointer}
th[aria-sort=ascending]::after{content:" ▲"}
th[aria-sort=descending]::after{content:" ▼"}
.table-filter{margin:.3em 0}
:root{--ink:#1b1b1b;--muted:#555;--line:#c9c9c9;--soft:#f4f5f7;--blocking:#a3001b;--warning:#7a4d00;--info:#1d4f91;--ok:#1c6b2a}
*{box-sizing:border-box}
body{margin:0;color:var(--ink);background:#fff;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main,footer,nav{max-width:1240px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:1.6rem;margin:0 0 4px}
h2{font-size:1.3rem;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--ink)}
h3{font-size:1.05rem;margin:0;display:inline}
h4{font-size:1rem;margin:18px 0 6px}
.sub{color:var(--muted);margin:0}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:6px 16px;padding:8px 0;margin:10px 0 0;border-top:1px solid var(--line);border-bottom:1px solid var(--line)}
a{color:#0b4a8b}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.verdict{border:2px solid var(--ink);border-left-width:10px;padding:10px 16px;margin:8px 0 14px;background:var(--soft)}
.verdict .headline{font-size:1.35rem;font-weight:700;margin:0 0 4px}
.verdict p{margin:0}
.verdict-not_ready{border-color:var(--blocking)}.verdict-not_ready .headline{color:var(--blocking)}
.verdict-ready_with_warnings{border-color:var(--warning)}.verdict-ready_with_warnings .headline{color:var(--warning)}
.verdict-ready{border-color:var(--ok)}.verdict-ready .headline{color:var(--ok)}
.verdict-incomplete{border-color:var(--warning);border-style:dashed}
dl.totals,dl.meta,dl.facts{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 14px;padding:0}
dl.totals>div,dl.meta>div,dl.facts>div{border:1px solid var(--line);padding:6px 10px;min-width:130px}
dl.facts>div{flex:1 1 240px}
dt{font-size:.78rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
dd{margin:0;font-size:1.05rem;font-weight:600}
dl.facts dd{font-weight:400}
.table-wrap{overflow-x:auto;margin:0 0 12px}
table.data{border-collapse:collapse;width:100%;font-size:.86rem}
table.data caption{text-align:left;font-weight:600;padding:4px 0 6px;caption-side:top}
table.data th,table.data td{border:1px solid var(--line);padding:4px 7px;text-align:left;vertical-align:top}
table.data thead th{background:#e9ebef;position:sticky;top:0}
table.data tbody th{font-weight:600;background:#fafafa}
.num{text-align:right!important;font-variant-numeric:tabular-nums}
tr.suppressed{color:var(--muted);background:repeating-linear-gradient(135deg,#fff 0 6px,#f2f2f2 6px 12px)}
tr.has-blocking th{border-left:4px solid var(--blocking)}
.sev{white-space:nowrap;font-weight:600}
.sev-blocking{color:var(--blocking)}.sev-warning{color:var(--warning)}.sev-info{color:var(--info)}
.suppressed-tag{font-size:.8em;font-style:italic}
.message{color:#333}
.none{color:var(--muted)}
.value{white-space:pre-wrap;overflow-wrap:anywhere}
.date,.id,.field{white-space:nowrap}
table.findings td:nth-child(2){min-width:20em}
.note-diff{white-space:pre-wrap;overflow-wrap:anywhere}
del{background:#fde2e2;color:#7a0010;text-decoration:line-through;text-decoration-thickness:2px}
ins{background:#dff3e2;color:#0d4d1a;text-decoration:underline;text-decoration-thickness:2px}
.table-note,.empty{color:var(--muted);font-style:italic}
.pager button,.tools button{font:inherit;font-size:.85rem;padding:3px 10px;margin-right:6px;cursor:pointer}
details.user{border:1px solid var(--line);margin:0 0 10px;background:#fff}
details.user>summary{cursor:pointer;padding:8px 12px;background:var(--soft)}
details.user[open]>summary{border-bottom:1px solid var(--line)}
.tally{margin-left:12px;font-size:.88rem;color:#333}
.user-body{padding:6px 14px 12px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:12px 18px}
figure.chart-figure{margin:0;border:1px solid #e2e2e2;padding:6px}
figure.chart-figure svg{width:100%;height:auto;display:block}
figcaption{font-size:.85rem;font-weight:600;text-align:center}
details.chart-data,details.options{margin:10px 0}
details.chart-data>summary,details.options>summary{cursor:pointer;color:#0b4a8b}
.period-dates,table.period-data th small,.as-of{color:var(--muted);font-size:.85em}
pre{background:var(--soft);padding:10px;overflow-x:auto;font-size:.82rem}
footer{color:var(--muted);font-size:.8rem;padding:24px 20px}
@media print{
  @page{margin:14mm}
  body{font-size:10pt}
  nav,.pager,.tools{display:none!important}
  details::details-content{content-visibility:visible;display:block}
  details>summary{list-style:none}
  details>summary::-webkit-details-marker{display:none}
  tbody.more[hidden]{display:table-row-group!important}
  table.data thead{display:table-header-group}
  table.data thead th{position:static}
  tr,figure,.verdict,dl>div{break-inside:avoid;page-break-inside:avoid}
  h2,h3,h4,caption{break-after:avoid;page-break-after:avoid}
  details.user{break-before:page;border:none}
  .charts{grid-template-columns:repeat(2,1fr)}
  a{color:inherit;text-decoration:none}
  .table-wrap{overflow:visible}
  header,main,footer{max-width:none;padding:0}
  table.data{font-size:7.5pt;table-layout:auto}
  table.data th,table.data td{padding:2px 4px}
  .value{overflow-wrap:break-word}
  .message,.note-diff,.id{overflow-wrap:anywhere}
  table.findings td:nth-child(2){min-width:0;width:30%}
  .date,.id,.field,.sev{white-space:normal}
  tr.suppressed{background:none;font-style:italic}
}
`;

export const REPORT_SCRIPT = `
(function(){
var d=document;d.documentElement.className+=" js";
function each(s,f,r){Array.prototype.forEach.call((r||d).querySelectorAll(s),f)}
function reveal(el){var n;for(n=el;n;n=n.parentElement)if(n.tagName==="DETAILS"&&!n.open){n.open=true;wire(n)}
for(n=el;n;n=n.parentElement){if(n.tagName==="TBODY"&&n.hidden){var t=n.parentElement;Array.prototype.forEach.call(t.tBodies,function(b){b.hidden=false});var p=t.nextElementSibling;if(p&&p.className==="pager")p.remove()}}}
function openTarget(){var id=decodeURIComponent(location.hash.slice(1));if(!id)return;var el=d.getElementById(id);
if(!el){var u=null;each("details[id]",function(x){if(id.indexOf(x.id+"-")===0)u=x});if(u&&u.querySelector("[data-pack]")){u.open=true;unpack(u).then(function(){var t=d.getElementById(id);if(t){reveal(t);location.replace(location.hash);t.scrollIntoView()}})}return}
reveal(el);el.scrollIntoView()}
window.addEventListener("hashchange",openTarget);
d.addEventListener("click",function(e){var a=e.target&&e.target.closest&&e.target.closest('a[href^="#"]');if(a&&a.getAttribute("href")===location.hash)openTarget()});
function wirePager(t){
var per=+t.getAttribute("data-paged"),more=[];each("tbody.more",function(b){b.hidden=true;more.push(b)},t);
var bar=d.createElement("p"),next=d.createElement("button"),all=d.createElement("button");
bar.className="pager";next.type=all.type="button";all.textContent="Show all rows";
function hidden(){return more.filter(function(b){return b.hidden})}
function label(){var h=hidden(),rows=0;h.forEach(function(b){rows+=b.rows.length});
if(!h.length){bar.remove();return}next.textContent="Show "+Math.min(per,rows)+" more rows ("+rows+" hidden)"}
next.onclick=function(){var h=hidden();if(h[0]){h[0].hidden=false;if(h[0].hasAttribute("data-pack"))unpackBox(h[0])}label()};
all.onclick=function(){hidden().forEach(function(b){b.hidden=false});unpackTable(t);label()};
bar.append(next,all);t.after(bar);label()}
function wireTable(t){var head=t.tHead;if(!head)return;
var f=d.createElement("input");f.type="search";f.className="table-filter";f.placeholder="Filter rows (severity, kind, user, value…)";
f.setAttribute("aria-label","Filter the rows of "+(t.caption?t.caption.textContent:"this table"));
function rows(){var r=[];Array.prototype.forEach.call(t.tBodies,function(b){Array.prototype.forEach.call(b.rows,function(x){r.push(x)})});return r}
function showAll(){Array.prototype.forEach.call(t.tBodies,function(b){b.hidden=false});var p=t.nextElementSibling;if(p&&p.className==="pager")p.remove()}
// Packed pages are unpacked first: a filter or a sort covers every rendered row, shown or not.
f.oninput=function(){unpackTable(t).then(function(){var q=f.value.toLowerCase();if(q)showAll();rows().forEach(function(r){r.hidden=q!==""&&r.textContent.toLowerCase().indexOf(q)<0})})};
t.parentNode.insertBefore(f,t);
Array.prototype.forEach.call(head.rows[0].cells,function(th,ci){th.className+=" sortable";th.tabIndex=0;
var sevCol=/severity/i.test(th.textContent);function sort(){unpackTable(t).then(sorted)}function sorted(){var dir=th.getAttribute("aria-sort")==="ascending"?-1:1;
Array.prototype.forEach.call(head.rows[0].cells,function(c){c.removeAttribute("aria-sort")});th.setAttribute("aria-sort",dir>0?"ascending":"descending");
showAll();var all=rows();function key(r){var c=r.cells[ci];var s=c?(c.getAttribute("data-sort")||c.textContent.trim()):"";var sv=sevCol&&/\\b(blocking|warning|info)\\b/i.exec(s);if(sv)return ["blocking","warning","info"].indexOf(sv[1].toLowerCase());var n=parseFloat(s.replace(/[−–]/g,"-").replace(/[^0-9.+-]/g,""));
if(/^\\d{4}-\\d\\d-\\d\\d/.test(s))return s;return /^[−+\-]?[0-9]/.test(s.replace(/^▲ |^✖ /,""))&&!isNaN(n)?n:s.toLowerCase()}
all.sort(function(a,b){var x=key(a),y=key(b);if(typeof x==="number"&&typeof y==="number")return (x-y)*dir;return String(x)<String(y)?-dir:String(x)>String(y)?dir:0});
var body=t.tBodies[0];all.forEach(function(r){body.appendChild(r)})}
th.onclick=sort;th.onkeydown=function(e){if(e.key==="Enter"||e.key===" "){e.preventDefault();sort()}}})}
var tri=d.getElementById("triage"),update=function(){};
function wirePick(el){var l=d.createElement("label"),c=d.createElement("input");c.type="checkbox";c.className="triage-pick";l.className="triage-label";l.append(c," accept");c.onchange=function(){update()};(el.cells?el.cells[0]:el).prepend(l)}
function wireCause(g){var boxes=g.querySelectorAll("input.triage-pick"),body=g.querySelector(".cause-body");if(!boxes.length||!body||body.querySelector(".triage-cause"))return;
var l=d.createElement("label"),b=d.createElement("input");b.type="checkbox";b.className="triage-cause";l.className="triage-cause-label";l.append(b," accept all "+boxes.length+" findings of this cause");
b.onchange=function(){Array.prototype.forEach.call(boxes,function(x){x.checked=b.checked});update()};body.prepend(l)}
// Tables inside a closed section are wired when it opens: a two-year report holds hundreds of them.
function wire(root){each("table.data",function(t){if(t.hasAttribute("data-wired")||t.closest("details:not([open])"))return;t.setAttribute("data-wired","");
if(t.hasAttribute("data-paged"))wirePager(t);wireTable(t)},root);
if(tri){each("[data-suppression]",function(el){if(!el.hasAttribute("data-picked")){el.setAttribute("data-picked","");wirePick(el)}},root);var g=root.closest&&root.closest("details.cause");if(g)wireCause(g)}}
wire(d);
// A packed block becomes class "unpacked"; a packed table body keeps its tag and class (a pager's page).
function unpackBox(box){var data=box.getAttribute("data-pack");if(data===null)return box.unpacking||Promise.resolve();var raw=atob(data),bytes=new Uint8Array(raw.length);box.removeAttribute("data-pack");
for(var i=0;i<raw.length;i+=1)bytes[i]=raw.charCodeAt(i);
box.unpacking=new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function(html){box.innerHTML=html;if(box.tagName!=="TBODY")box.className="unpacked";wire(box)});return box.unpacking}
function unpack(root){var boxes=[];each("[data-pack]",function(b){boxes.push(b)},root);return Promise.all(boxes.map(unpackBox))}
function unpackTable(t){return Promise.all(Array.prototype.map.call(t.tBodies,unpackBox))}
var heat=d.getElementById("overview-heatmap");
if(heat&&heat.querySelector("tbody[data-pack]")){var near=function(list){list.forEach(function(e){if(e.isIntersecting){io.unobserve(e.target);unpackBox(e.target)}})};
var io=window.IntersectionObserver?new IntersectionObserver(near,{rootMargin:"1200px 0px"}):null;each("tbody[data-pack]",function(b){if(io)io.observe(b);else unpackBox(b)},heat)}
// The browser may open a section for a link itself: wiring it then must not page away the target row.
d.addEventListener("toggle",function(e){var x=e.target;if(x.tagName!=="DETAILS"||!x.open)return;wire(x);
var t=location.hash&&d.getElementById(decodeURIComponent(location.hash.slice(1)));if(t&&x.contains(t))reveal(t);if(x.querySelector("[data-pack]"))unpack(x)},true);
if(tri){var out=d.getElementById("triage-json"),why=d.getElementById("triage-reason"),info=d.getElementById("triage-count");
function picked(){var seen={},list=[];each("[data-suppression] input.triage-pick",function(c){if(!c.checked)return;var j=c.closest("[data-suppression]").getAttribute("data-suppression");if(!seen[j]){seen[j]=1;list.push(JSON.parse(j))}});return list}
update=function(){var list=picked(),r=why.value.trim();info.textContent=list.length+" finding"+(list.length===1?"":"s")+" selected"+(list.length&&!r?": write a reason to produce the rules file":"");
out.value=list.length&&r?JSON.stringify({version:1,suppressions:list.map(function(e){e.reason=r;return e})},null,2)+"\\n":""}
why.oninput=update;
d.getElementById("triage-copy").onclick=function(){if(!out.value)return;out.select();if(navigator.clipboard&&navigator.clipboard.writeText)navigator.clipboard.writeText(out.value).catch(function(){d.execCommand("copy")});else d.execCommand("copy")};
d.getElementById("triage-download").onclick=function(){if(!out.value)return;var a=d.createElement("a");a.href="data:application/json;charset=utf-8,"+encodeURIComponent(out.value);a.download="toki-parity-suppressions.json";d.body.append(a);a.click();a.remove()};
each("details.cause",wireCause);
tri.hidden=false;update()}
var users=d.getElementById("user-details-list");
if(users){var tools=d.createElement("p"),o=d.createElement("button"),c=d.createElement("button");tools.className="tools";
o.type=c.type="button";o.textContent="Expand all users";c.textContent="Collapse all users";
o.onclick=function(){each("details.user",function(x){x.open=true},users)};c.onclick=function(){each("details.user",function(x){x.open=false},users)};
tools.append(o,c);users.before(tools)}
openTarget();
var opened=[];
window.addEventListener("beforeprint",function(){each("details:not([open])",function(x){opened.push(x);x.open=true});each("tbody.more",function(b){b.hidden=false})});
window.addEventListener("afterprint",function(){opened.forEach(function(x){x.open=false});opened=[]});
})();
`;
