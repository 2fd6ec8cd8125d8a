import { ResourceValidationPolicy } from "@pulumi/policy";
import { arr, isProtectedEnvironment, obj } from "./util";

/**
 * The data path's rules (issue 14): JetStream streams replicated and durable where state is kept.
 */

export const jetStreamStreamReplicas: ResourceValidationPolicy = {
    name: "datapath/jetstream-stream-replicas",
    description: "In staging and prod every JetStream stream keeps 3 replicas on file storage and survives deletion of its resource (seed 000 §9: JetStream replication counts in the RPO).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "kubernetes:jetstream.nats.io/v1beta2:Stream" || !isProtectedEnvironment(args)) {
            return;
        }
        const spec = obj(args.props.spec);
        const problems: string[] = [];
        if (typeof spec.replicas !== "number" || spec.replicas < 3) {
            problems.push(`replicas ${String(spec.replicas)} (needs 3)`);
        }
        if (spec.storage !== "file") {
            problems.push(`storage ${String(spec.storage)} (needs file)`);
        }
        if (spec.preventDelete !== true) {
            problems.push("preventDelete is not set");
        }
        if (problems.length > 0) {
            report(`stream ${String(spec.name)}: ${problems.join(", ")}`);
        }
    },
};

/**
 * A CloudFront distribution in front of S3 reads it through origin access control (the bucket stays
 * private; no legacy origin access identity, no public website endpoint), serves HTTPS only with
 * TLS 1.2+ (TLSv1.2_2021 or newer) and requires signed URLs from a key group (seed 002 §5).
 */
export const cdnPrivateOrigin: ResourceValidationPolicy = {
    name: "datapath/cdn-private-origin",
    description: "CloudFront in front of S3 uses origin access control, HTTPS only with TLSv1.2_2021+, signed URLs through a trusted key group, and a WAF web ACL.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "aws:cloudfront/distribution:Distribution") {
            return;
        }
        const p = args.props;
        const problems: string[] = [];
        for (const origin of arr(p.origins).map(obj)) {
            const domain = String(origin.domainName ?? "");
            if (/\.s3[.-]/.test(domain) || domain.includes(".s3.")) {
                if (!origin.originAccessControlId) {
                    problems.push(`origin ${String(origin.originId)} reads S3 without origin access control`);
                }
                if (obj(origin.s3OriginConfig).originAccessIdentity) {
                    problems.push(`origin ${String(origin.originId)} uses a legacy origin access identity`);
                }
            }
            if (domain.includes("s3-website")) {
                problems.push(`origin ${String(origin.originId)} is a public S3 website endpoint`);
            }
        }
        const behavior = obj(p.defaultCacheBehavior);
        if (behavior.viewerProtocolPolicy !== "https-only" && behavior.viewerProtocolPolicy !== "redirect-to-https") {
            problems.push(`viewer protocol policy ${String(behavior.viewerProtocolPolicy)}`);
        }
        if (arr(behavior.trustedKeyGroups).length === 0) {
            problems.push("no trusted key group: objects are served without signed URLs");
        }
        const tls = String(obj(p.viewerCertificate).minimumProtocolVersion ?? "");
        if (!["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"].includes(tls)) {
            problems.push(`minimum TLS ${tls || "unset (the default certificate allows TLSv1)"}`);
        }
        if (!p.webAclId) {
            problems.push("no WAF web ACL");
        }
        if (problems.length > 0) {
            report(`distribution ${args.name}: ${problems.join("; ")}`);
        }
    },
};

export const datapathPolicies: ResourceValidationPolicy[] = [jetStreamStreamReplicas, cdnPrivateOrigin];
