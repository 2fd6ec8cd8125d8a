import type { DeployContext } from "../data/context";
import { cdnAllowed } from "../data/cdn";
import { Finding, finding } from "../data/findings";

/** The authoring CDN where the residency zone keeps it out (data/cdn.ts), and progress, which has none (seed 003 §6). */
export function cdnFindings(ctx: DeployContext): Finding[] {
    const out: Finding[] = [];
    const cards = ctx.catalog.filter((c) => c.platform === "eks");
    if (cards.some((c) => c.platform === "eks" && c.buckets.some((b) => b.cdn)) && !cdnAllowed(ctx.config.residency)) {
        out.push(
            finding(
                "adjust/cdn-residency",
                "info",
                "authoring-service/drafts",
                `seed 002 §4–§5 put block previews behind a CDN; residency zone "${ctx.config.residency}" keeps CloudFront out (its certificate, WAF and log delivery live in us-east-1 and its edges cache outside the zone): ` +
                    "authoring-api serves previews as S3 presigned URLs on the regional drafts bucket, valid 10 min; CDN_SIGNING says so",
            ),
        );
    }
    if (cards.some((c) => c.service === "progress-service")) {
        out.push(finding("adjust/progress-no-cdn", "info", "progress-service", "seed 003 §6: no CDN (all endpoints authenticated, no public caching): none is provisioned"));
    }
    return out;
}
