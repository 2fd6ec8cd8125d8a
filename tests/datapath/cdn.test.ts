import { cdnCacheTtlSeconds, deriveSigningKeyPair, previewUrlTtlSeconds, priceClassFor } from "../../components/aws/cdn";
import { cdnFindings } from "../../capacity/cdn";
import { catalog } from "../../data/catalog";
import { authoringService } from "../../data/catalog/authoring";
import { catalogRequirements, parseStackConfig } from "../../data/config";
import { deployContext } from "../../data/context";
import { cdnAllowed } from "../../data/cdn";
import { runPolicies } from "../../plan/policy-runner";
import { cdnPrivateOrigin } from "../../policy/rules/datapath";
import { byType, fixture, nonEmpty, one, planOf, readStackFile } from "../harness";
import { createPrivateKey, createPublicKey, sign, verify } from "crypto";

/** Seed 002 §4 "CDN: block previews, thumbnails — 5 min"; §5 "Preview URLs … signed, TTL 10 min". Seed 003 §6: progress has none. */
const doc = { cacheTtlSeconds: 300, previewUrlTtlSeconds: 600 };

type P = Record<string, unknown>;
const o = (v: unknown): P => (v && typeof v === "object" ? (v as P) : {});
const ctxOf = (stack: string) => deployContext(parseStackConfig(stack, readStackFile(stack), catalogRequirements(catalog)), catalog);

describe("the signing key pair", () => {
    const seed = "ab".repeat(64);
    it("derives the same RSA-2048 pair from the same seed, a different one from another; the halves match", () => {
        const a = deriveSigningKeyPair(seed);
        expect(deriveSigningKeyPair(seed)).toEqual(a);
        expect(deriveSigningKeyPair("cd".repeat(64)).publicKeyPem).not.toBe(a.publicKeyPem);
        const pub = createPublicKey(a.publicKeyPem);
        expect(pub.asymmetricKeyDetails?.modulusLength).toBe(2048);
        expect(a.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
        const signature = sign("sha1", Buffer.from("policy"), createPrivateKey(a.privateKeyPem));
        expect(verify("sha1", Buffer.from("policy"), pub, signature)).toBe(true);
    });
    it("refuses a seed under 32 bytes", () => {
        expect(() => deriveSigningKeyPair("ab".repeat(16 - 1))).toThrow("at least 32");
    });
});

describe("policy datapath/cdn-private-origin", () => {
    const good = {
        origins: [{ originId: "drafts", domainName: "drafts.s3.us-east-1.amazonaws.com", originAccessControlId: "E123" }],
        defaultCacheBehavior: { viewerProtocolPolicy: "https-only", trustedKeyGroups: ["kg-1"] },
        viewerCertificate: { minimumProtocolVersion: "TLSv1.2_2021" },
        webAclId: "arn:aws:wafv2:us-east-1:1:global/webacl/x/y",
    };
    it("passes OAC, HTTPS only, TLSv1.2_2021, a key group and a WAF", async () => {
        expect(await runPolicies([cdnPrivateOrigin], [fixture("aws:cloudfront/distribution:Distribution", good)])).toEqual([]);
    });
    it("fails an S3 origin without OAC behind the default certificate, open to HTTP, unsigned, without WAF", async () => {
        const bad = { origins: [{ originId: "drafts", domainName: "drafts.s3.us-east-1.amazonaws.com", s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1" } }], defaultCacheBehavior: { viewerProtocolPolicy: "allow-all" }, viewerCertificate: { cloudfrontDefaultCertificate: true } };
        const fs = await runPolicies([cdnPrivateOrigin], [fixture("aws:cloudfront/distribution:Distribution", bad)]);
        expect(fs).toHaveLength(1);
        expect(fs[0].severity).toBe("mandatory");
        expect(fs[0].message).toBe(
            "distribution fixture: origin drafts reads S3 without origin access control; origin drafts uses a legacy origin access identity; viewer protocol policy allow-all; no trusted key group: objects are served without signed URLs; minimum TLS unset (the default certificate allows TLSv1); no WAF web ACL",
        );
    });
});

describe("the authoring CDN in the plans", () => {
    it("prod-us: per region a distribution on the private drafts bucket with OAC, 5-min cache, TLSv1.2_2021, key group, WAF in us-east-1, access logs", async () => {
        const { run } = await planOf("prod-us");
        expect(run.error).toBeNull();
        expect(cdnCacheTtlSeconds).toBe(doc.cacheTtlSeconds);
        expect(previewUrlTtlSeconds).toBe(doc.previewUrlTtlSeconds);
        const dists = nonEmpty(byType(run, "aws:cloudfront/distribution:Distribution"));
        expect(dists.map((d) => d.region).sort()).toEqual(["us-east-1", "us-west-2"]);
        for (const d of dists) {
            const p = o(d.inputs);
            expect(o(p.viewerCertificate)).toMatchObject({ minimumProtocolVersion: "TLSv1.2_2021", sslSupportMethod: "sni-only" });
            expect(o(p.defaultCacheBehavior)).toMatchObject({ viewerProtocolPolicy: "https-only", allowedMethods: ["GET", "HEAD", "OPTIONS"] });
            expect(p.priceClass).toBe(priceClassFor("us"));
            expect(d.protect).toBe(true);
        }
        const cache = one(run, "aws:cloudfront/cachePolicy:CachePolicy", "us-east-1-authoring-service-drafts-cdn-cache");
        expect(o(cache.inputs)).toMatchObject({ defaultTtl: doc.cacheTtlSeconds, maxTtl: doc.cacheTtlSeconds });
        const waf = one(run, "aws:wafv2/webAcl:WebAcl", "us-east-1-authoring-service-drafts-cdn-waf");
        expect(o(waf.inputs).scope).toBe("CLOUDFRONT");
        expect(waf.region).toBe("us-east-1");
        const west = one(run, "aws:wafv2/webAcl:WebAcl", "us-west-2-authoring-service-drafts-cdn-waf");
        expect(west.region).toBe("us-east-1");
        expect(byType(run, "aws:cloudwatch/logDelivery:LogDelivery")).toHaveLength(2);
        // The bucket stays private and admits CloudFront for its own distribution only.
        const policy = JSON.parse(String(o(one(run, "aws:s3/bucketPolicy:BucketPolicy", "us-east-1-authoring-service-drafts-tls-only").inputs).policy)) as { Statement: { Sid: string; Principal: P; Condition: P }[] };
        const oac = policy.Statement.find((s) => s.Sid === "CloudFrontOriginAccessControl");
        expect(oac?.Principal).toEqual({ Service: "cloudfront.amazonaws.com" });
        expect(JSON.stringify(oac?.Condition)).toMatch(/arn:aws:cloudfront::\d+:distribution\/E[0-9A-F]+/);
        // authoring's own IRSA role reads the signing key; the secret is the CDN's.
        const irsa = JSON.parse(String(o(one(run, "aws:iam/rolePolicy:RolePolicy", "us-east-1-authoring-service-role-policy").inputs).policy)) as { Statement: { Sid: string; Resource: string[] }[] };
        const signing = one(run, "aws:secretsmanager/secret:Secret", "us-east-1-authoring-service-drafts-cdn-signing-secret");
        expect(o(signing.inputs).name).toBe("prod/authoring-service/CDN_SIGNING");
        expect(irsa.Statement.find((s) => s.Sid === "ReadOwnSecrets")?.Resource).toHaveLength(authoringService.secrets.length);
    });
    it("prod-eu: no CloudFront (the residency zone), and the finding says so; progress has none anywhere (seed 003 §6)", async () => {
        const { run } = await planOf("prod-eu");
        expect(run.error).toBeNull();
        expect(byType(run, "aws:cloudfront/distribution:Distribution")).toEqual([]);
        expect(cdnAllowed("eu")).toBe(false);
        expect(cdnFindings(ctxOf("prod-eu")).map((f) => f.ruleId)).toEqual(["adjust/cdn-residency", "adjust/progress-no-cdn"]);
        expect(cdnFindings(ctxOf("prod-us")).map((f) => f.ruleId)).toEqual(["adjust/progress-no-cdn"]);
        const us = await planOf("prod-us");
        expect(byType(us.run, "aws:cloudfront/distribution:Distribution").filter((d) => JSON.stringify(d.inputs).includes("progress"))).toEqual([]);
    });
});
