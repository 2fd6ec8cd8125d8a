/**
 * Who writes access logs into a region's log bucket. Pure data.
 *
 * Elastic Load Balancing writes ALB access logs as a regional AWS account in the Regions opened
 * before August 2022, and as the service principal `logdelivery.elasticloadbalancing.amazonaws.com`
 * in the Regions opened since (the ALB user guide, "Enable access logs", step 2). The accounts are
 * the ones the AWS provider's `aws_elb_service_account` data source carries; me-central-1 and
 * ap-south-2 have none (the provider refuses them), so they take the service principal.
 */
export const elbLogDeliveryAccounts: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "me-south-1": "076674570225",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
};

/** The service principal ELB uses in Regions opened since August 2022. */
export const elbLogDeliveryService = "logdelivery.elasticloadbalancing.amazonaws.com";
/** The service principal that delivers S3 server access logs. */
export const s3LogDeliveryService = "logging.s3.amazonaws.com";
/** The Google group that writes Cloud Storage usage and storage logs (needs objectCreator on the log bucket). */
export const gcsLogWriterGroup = "cloud-storage-analytics@google.com";

/** Key prefixes in a region's log bucket, one per source. */
export const logPrefixes = { alb: "alb", s3: "s3", nlb: "nlb" } as const;
/** The service principal that delivers Network Load Balancer access logs (NLB user guide, "Access logs"). */
export const nlbLogDeliveryService = "delivery.logs.amazonaws.com";

/** The principal allowed to write a region's ALB access logs (IAM policy `Principal` form). */
export function elbLogPrincipal(region: string): { readonly AWS: string } | { readonly Service: string } {
    const account = elbLogDeliveryAccounts[region];
    return account ? { AWS: `arn:aws:iam::${account}:root` } : { Service: elbLogDeliveryService };
}
