import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { checkPrimeSync, createHmac, createPrivateKey, createPublicKey } from "crypto";

/**
 * The authoring CDN (seeds 002 §4–§5): CloudFront in front of one region's drafts bucket, for block
 * previews and thumbnails. The bucket stays private (origin access control); every request carries a
 * CloudFront signed URL made with the key group's key; previews cache 5 min; TLS 1.2+; AWS WAF.
 */

/** Seed 002 §4: "CDN — block previews, thumbnails — 5 min". */
export const cdnCacheTtlSeconds = 300;
/** Seed 002 §5: "Preview URLs for draft blocks (read-only, signed, TTL 10 min)": the signer's expiry. */
export const previewUrlTtlSeconds = 600;
export const cdnMinimumProtocolVersion = "TLSv1.2_2021";

// --- The signing key pair -------------------------------------------------------------------------
// @pulumi/tls is not among the program's SDKs and Node's generateKeyPair is not reproducible, so the
// RSA-2048 pair CloudFront needs is derived from a 64-byte @pulumi/random secret kept in the state:
// an HMAC-SHA256 DRBG draws 1024-bit candidates, OpenSSL (crypto.checkPrimeSync, 64 rounds) tests
// primality, Node builds the keys from their JWK form. Same seed, same pair, on every run; a new
// seed (replace the RandomBytes) rotates the key. The private key leaves the program only into
// Secrets Manager.

function drbg(seed: Buffer): (bytes: number) => Buffer {
    let counter = 0;
    return (bytes: number) => {
        const out: Buffer[] = [];
        let have = 0;
        while (have < bytes) {
            const block = createHmac("sha256", seed).update(`cdn-signing-key:${counter++}`).digest();
            out.push(block);
            have += block.length;
        }
        return Buffer.concat(out).subarray(0, bytes);
    };
}

const bigOf = (b: Buffer): bigint => BigInt(`0x${b.toString("hex")}`);
const b64url = (n: bigint): string => {
    let hex = n.toString(16);
    if (hex.length % 2) {
        hex = `0${hex}`;
    }
    return Buffer.from(hex, "hex").toString("base64url");
};

function modInverse(a: bigint, m: bigint): bigint {
    let [oldR, r] = [a % m, m];
    let [oldS, s] = [1n, 0n];
    while (r !== 0n) {
        const q = oldR / r;
        [oldR, r] = [r, oldR - q * r];
        [oldS, s] = [s, oldS - q * s];
    }
    if (oldR !== 1n) {
        throw new Error("no inverse");
    }
    return ((oldS % m) + m) % m;
}

const e = 65537n;

function prime(next: (bytes: number) => Buffer): bigint {
    for (;;) {
        const c = next(128);
        // Top two bits set (the product has 2048 bits), odd.
        c[0] |= 0xc0;
        c[127] |= 0x01;
        const p = bigOf(c);
        if ((p - 1n) % e !== 0n && checkPrimeSync(p, { checks: 64 })) {
            return p;
        }
    }
}

/** A deterministic RSA-2048 key pair from a seed (hex, ≥ 32 bytes): PKCS#8 private and SPKI public PEM. */
export function deriveSigningKeyPair(seedHex: string): { readonly privateKeyPem: string; readonly publicKeyPem: string } {
    const seed = Buffer.from(seedHex, "hex");
    if (seed.length < 32) {
        throw new Error(`signing seed has ${seed.length} bytes; at least 32 are needed`);
    }
    const next = drbg(seed);
    const p = prime(next);
    let q = prime(next);
    while (q === p) {
        q = prime(next);
    }
    const n = p * q;
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const d = modInverse(e, lambda);
    const jwk = { kty: "RSA", n: b64url(n), e: b64url(e), d: b64url(d), p: b64url(p), q: b64url(q), dp: b64url(d % (p - 1n)), dq: b64url(d % (q - 1n)), qi: b64url(modInverse(q, p)) };
    const key = createPrivateKey({ key: jwk, format: "jwk" });
    return {
        privateKeyPem: key.export({ type: "pkcs8", format: "pem" }).toString(),
        publicKeyPem: createPublicKey(key).export({ type: "spki", format: "pem" }).toString(),
    };
}

function gcd(a: bigint, b: bigint): bigint {
    while (b !== 0n) {
        [a, b] = [b, a % b];
    }
    return a;
}

/** CloudFront's price class for a residency zone: edges in North America and Europe only for US/EU tenants. */
export function priceClassFor(residency: string): string {
    return residency === "us" || residency === "eu" ? "PriceClass_100" : "PriceClass_200";
}

export interface AuthoringCdnArgs {
    readonly service: string;
    readonly environment: string;
    readonly region: string;
    readonly accountId: string;
    /** The stack's public zone; the CDN answers on `drafts-cdn-<region>.<domain>`. */
    readonly domain: string;
    readonly residency: string;
    readonly bucketId: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    readonly bucketRegionalDomainName: pulumi.Input<string>;
    /** Secrets Manager key of the secrets data class, for the signing key's secret. */
    readonly secretsKeyArn: pulumi.Input<string>;
    readonly secretRecoveryDays: number;
    readonly randomProvider: random.Provider;
    /** us-east-1: CloudFront's certificate, WAF (CLOUDFRONT scope) and log delivery live there. */
    readonly edgeProvider: aws.Provider;
    readonly logRetentionDays: number;
    readonly protect: boolean;
}

/**
 * One drafts bucket's CDN. The signing key (private half in Secrets Manager, readable by the service's
 * own IRSA role only) is delivered to the pods as the `CDN_SIGNING` secret: JSON with the base URL,
 * the key pair id and the PEM the service signs preview URLs (10 min) with.
 */
export class AuthoringCdn extends pulumi.ComponentResource {
    readonly distribution: aws.cloudfront.Distribution;
    readonly baseUrl: string;
    /** The Secrets Manager secret holding `CDN_SIGNING`. */
    readonly signingSecret: aws.secretsmanager.Secret;

    constructor(name: string, args: AuthoringCdnArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:AuthoringCdn", name, {}, opts);
        const o = { parent: this, provider: opts.provider };
        const edge = { parent: this, provider: args.edgeProvider };
        const tags = { service: args.service };
        const host = `drafts-cdn-${args.region}.${args.domain}`;
        this.baseUrl = `https://${host}`;

        const seed = new random.RandomBytes(`${name}-signing-seed`, { length: 64 }, { parent: this, provider: args.randomProvider });
        const pair = seed.hex.apply((h) => deriveSigningKeyPair(h));
        const publicKey = new aws.cloudfront.PublicKey(
            `${name}-public-key`,
            { encodedKey: pair.apply((k) => k.publicKeyPem), comment: `${args.service} ${args.environment} ${args.region} preview signing key` },
            o,
        );
        const keyGroup = new aws.cloudfront.KeyGroup(`${name}-key-group`, { name: `${args.service}-${args.environment}-${args.region}-previews`, items: [publicKey.id], comment: "Signs draft previews and thumbnails" }, o);

        this.signingSecret = new aws.secretsmanager.Secret(
            `${name}-signing-secret`,
            { name: `${args.environment}/${args.service}/CDN_SIGNING`, description: `${args.service} CloudFront signing key (${args.region})`, kmsKeyId: args.secretsKeyArn, recoveryWindowInDays: args.secretRecoveryDays, tags },
            { ...o, protect: args.protect },
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-signing-secret-value`,
            {
                secretId: this.signingSecret.id,
                secretString: pulumi.secret(
                    pulumi.all([publicKey.id, pair]).apply(([keyPairId, k]) => JSON.stringify({ baseUrl: this.baseUrl, keyPairId, privateKey: k.privateKeyPem, urlTtlSeconds: previewUrlTtlSeconds })),
                ),
            },
            o,
        );

        const oac = new aws.cloudfront.OriginAccessControl(
            `${name}-oac`,
            { name: `${args.service}-${args.environment}-${args.region}-drafts`, originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4", description: "CloudFront reads the private drafts bucket" },
            o,
        );
        const cachePolicy = new aws.cloudfront.CachePolicy(
            `${name}-cache`,
            {
                name: `${args.service}-${args.environment}-${args.region}-previews`,
                comment: "Seed 002 §4: previews and thumbnails cache 5 min",
                defaultTtl: cdnCacheTtlSeconds,
                maxTtl: cdnCacheTtlSeconds,
                minTtl: 0,
                parametersInCacheKeyAndForwardedToOrigin: {
                    enableAcceptEncodingGzip: true,
                    enableAcceptEncodingBrotli: true,
                    cookiesConfig: { cookieBehavior: "none" },
                    headersConfig: { headerBehavior: "none" },
                    queryStringsConfig: { queryStringBehavior: "none" },
                },
            },
            o,
        );
        const headers = new aws.cloudfront.ResponseHeadersPolicy(
            `${name}-headers`,
            {
                name: `${args.service}-${args.environment}-${args.region}-previews`,
                comment: "Security headers on previews",
                securityHeadersConfig: {
                    strictTransportSecurity: { accessControlMaxAgeSec: 31536000, includeSubdomains: true, preload: false, override: true },
                    contentTypeOptions: { override: true },
                    frameOptions: { frameOption: "DENY", override: true },
                    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
                    contentSecurityPolicy: { contentSecurityPolicy: "default-src 'none'; img-src 'self'; style-src 'self'; frame-ancestors 'none'", override: true },
                },
                customHeadersConfig: { items: [{ header: "Cache-Control", value: `private, max-age=${cdnCacheTtlSeconds}`, override: true }] },
            },
            o,
        );

        const zone = aws.route53.getZoneOutput({ name: args.domain, privateZone: false }, o);
        const cert = new aws.acm.Certificate(`${name}-cert`, { domainName: host, validationMethod: "DNS", keyAlgorithm: "RSA_2048", options: { certificateTransparencyLoggingPreference: "ENABLED" }, tags }, edge);
        const dvo = cert.domainValidationOptions.apply((d) => d[0]);
        const validationRecord = new aws.route53.Record(
            `${name}-cert-validation`,
            { zoneId: zone.zoneId, name: dvo.apply((d) => d.resourceRecordName ?? ""), type: dvo.apply((d) => d.resourceRecordType ?? "CNAME"), records: [dvo.apply((d) => d.resourceRecordValue ?? "")], ttl: 300, allowOverwrite: true },
            o,
        );
        const validated = new aws.acm.CertificateValidation(`${name}-cert-validated`, { certificateArn: cert.arn, validationRecordFqdns: [validationRecord.fqdn] }, edge);

        const waf = new aws.wafv2.WebAcl(
            `${name}-waf`,
            {
                name: `${args.service}-${args.environment}-${args.region}-cdn`,
                description: "Authoring CDN: AWS managed common and bad-input rules, a per-IP rate limit",
                scope: "CLOUDFRONT",
                defaultAction: { allow: {} },
                rules: [
                    { name: "aws-common", priority: 1, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } }, visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "aws-common", sampledRequestsEnabled: true } },
                    { name: "aws-bad-inputs", priority: 2, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" } }, visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "aws-bad-inputs", sampledRequestsEnabled: true } },
                    { name: "per-ip", priority: 3, action: { block: {} }, statement: { rateBasedStatement: { limit: 6000, aggregateKeyType: "IP", evaluationWindowSec: 300 } }, visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "per-ip", sampledRequestsEnabled: true } },
                ],
                visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${args.service}-cdn`, sampledRequestsEnabled: true },
                tags,
            },
            edge,
        );

        this.distribution = new aws.cloudfront.Distribution(
            `${name}-distribution`,
            {
                enabled: true,
                comment: `${args.service} ${args.environment} ${args.region} draft previews`,
                aliases: [host],
                httpVersion: "http2and3",
                isIpv6Enabled: true,
                priceClass: priceClassFor(args.residency),
                webAclId: waf.arn,
                origins: [{ originId: "drafts", domainName: args.bucketRegionalDomainName, originAccessControlId: oac.id }],
                defaultCacheBehavior: {
                    targetOriginId: "drafts",
                    viewerProtocolPolicy: "https-only",
                    allowedMethods: ["GET", "HEAD", "OPTIONS"],
                    cachedMethods: ["GET", "HEAD"],
                    compress: true,
                    cachePolicyId: cachePolicy.id,
                    responseHeadersPolicyId: headers.id,
                    trustedKeyGroups: [keyGroup.id],
                },
                restrictions: { geoRestriction: { restrictionType: "none" } },
                viewerCertificate: { acmCertificateArn: validated.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: cdnMinimumProtocolVersion },
                tags,
            },
            { ...o, protect: args.protect },
        );
        new aws.route53.Record(
            `${name}-dns`,
            { zoneId: zone.zoneId, name: host, type: "A", aliases: [{ name: this.distribution.domainName, zoneId: this.distribution.hostedZoneId, evaluateTargetHealth: false }] },
            o,
        );

        // Access logs: CloudWatch log delivery (v2), no ACL-enabled log bucket; the source lives in us-east-1.
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-access-logs`, { name: `/aws/cloudfront/${args.service}-${args.environment}-${args.region}`, retentionInDays: args.logRetentionDays, tags }, edge);
        const source = new aws.cloudwatch.LogDeliverySource(`${name}-log-source`, { name: `${args.service}-${args.environment}-${args.region}-cdn`, logType: "ACCESS_LOGS", resourceArn: this.distribution.arn }, edge);
        const destination = new aws.cloudwatch.LogDeliveryDestination(
            `${name}-log-destination`,
            { name: `${args.service}-${args.environment}-${args.region}-cdn`, outputFormat: "json", deliveryDestinationConfiguration: { destinationResourceArn: logGroup.arn } },
            edge,
        );
        new aws.cloudwatch.LogDelivery(`${name}-log-delivery`, { deliverySourceName: source.name, deliveryDestinationArn: destination.arn }, edge);
        this.registerOutputs({ baseUrl: this.baseUrl });
    }
}
