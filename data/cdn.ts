/**
 * Where the authoring CDN (seeds 002 §4–§5) may run. CloudFront's control plane, its certificate,
 * its WAF (CLOUDFRONT scope) and its log delivery exist only in us-east-1, and its edges cache
 * outside any one zone: only stacks whose residency zone is `us` or `global` get it. Elsewhere
 * authoring-api hands out S3 presigned URLs on the regional bucket (same 10-min validity).
 */
export const cdnResidencyZones: readonly string[] = ["us", "global"];

export function cdnAllowed(residency: string): boolean {
    return cdnResidencyZones.includes(residency);
}
