import { EvaluatedItem } from "./checklist";

/**
 * The review pack's static pages: no script, no external resource, so the pack opens from disk
 * (file://) or any static host. Each card is a `section.card[data-service]`; the diagram is
 * `img#diagram` (diagram.svg, written by `npm run review`), with a link to its Mermaid source.
 */

export function escapeHtml(s: string): string {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const style = `body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}pre{background:#f6f8fa;padding:1rem;overflow:auto;font-size:.8rem}
section.card{border:1px solid #d0d7de;border-radius:6px;padding:0 1rem;margin:1rem 0}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.3rem .5rem;vertical-align:top;font-size:.85rem}
.pass{background:#dafbe1}.fail{background:#ffebe9}.not-applicable,.not-automatable{background:#f6f8fa}#diagram{max-width:100%;border:1px solid #d0d7de}`;

function page(title: string, body: string[]): string {
    return ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">', `<title>${escapeHtml(title)}</title>`, `<style>${style}</style>`, "</head>", "<body>", ...body, "</body>", "</html>", ""].join("\n");
}

export interface StackPage {
    readonly stack: string;
    readonly cards: readonly { readonly service: string; readonly yaml: string; readonly decision: string }[];
    readonly checklist: readonly EvaluatedItem[];
}

export function renderStackPage(p: StackPage): string {
    return page(`Review pack: ${p.stack}`, [
        `<h1>Review pack: ${escapeHtml(p.stack)}</h1>`,
        '<p><a href="../../review/index.html">All stacks</a> · <a href="checklist.md">checklist.md</a> · <a href="diagram.mmd">diagram.mmd</a> · <a href="diagram.svg">diagram.svg</a></p>',
        "<h2>Topology diagram (§29)</h2>",
        '<img id="diagram" src="diagram.svg" alt="topology diagram (run npm run review to render diagram.svg from diagram.mmd)">',
        "<h2>Topology cards (§22) and decision records (§28)</h2>",
        ...p.cards.map((c) =>
            [
                `<section class="card" id="card-${escapeHtml(c.service)}" data-service="${escapeHtml(c.service)}">`,
                `<h3>${escapeHtml(c.service)}</h3>`,
                `<p><a href="cards/${escapeHtml(c.service)}.yaml">card</a> · <a href="decisions/${escapeHtml(c.service)}.md">decision record</a></p>`,
                `<pre class="card-yaml">${escapeHtml(c.yaml)}</pre>`,
                "<details><summary>Decision record</summary>",
                `<pre class="decision">${escapeHtml(c.decision)}</pre>`,
                "</details>",
                "</section>",
            ].join("\n"),
        ),
        "<h2>Review checklist (§26)</h2>",
        '<table id="checklist"><thead><tr><th>item</th><th>question</th><th>status</th><th>how / evidence</th></tr></thead><tbody>',
        ...p.checklist.map(
            (i) =>
                `<tr class="${i.status}" data-item="${i.id}"><td>${i.id}</td><td>${escapeHtml(i.question)}</td><td>${i.status}</td><td>${escapeHtml(i.how)}${i.evidence.length ? `<details><summary>${i.evidence.length} evidence line(s)</summary><ul>${i.evidence.map((e) => `<li>${escapeHtml(e)}</li>`).join("")}</ul></details>` : ""}</td></tr>`,
        ),
        "</tbody></table>",
    ]);
}

export function renderIndexPage(stacks: readonly string[], stacksMarkdown: string): string {
    return page("Review pack", [
        "<h1>Review pack</h1>",
        '<ul id="stacks">',
        ...stacks.map((s) => `<li><a href="../${escapeHtml(s)}/review/index.html">${escapeHtml(s)}</a></li>`),
        "</ul>",
        '<p><a href="stacks.md">stacks.md</a></p>',
        `<pre id="side-by-side">${escapeHtml(stacksMarkdown)}</pre>`,
    ]);
}
