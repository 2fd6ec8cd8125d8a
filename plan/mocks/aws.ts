import { CallFn, OutputFn } from "./types";

/** Three zones per region, as `aws.getAvailabilityZones` answers for every region this program uses. */
const zoneSuffixes = ["a", "b", "c"];

/** Computed attributes of AWS resources the program reads. */
export const awsOutputs: Record<string, OutputFn> = {};

/** AWS provider functions the program calls. */
export const awsCalls: Record<string, CallFn> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        return {
            id: region,
            names: zoneSuffixes.map((s) => `${region}${s}`),
            zoneIds: zoneSuffixes.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
            state: "available",
        };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": (_args, ctx) => ({
        accountId: ctx.accountId,
        arn: `arn:aws:iam::${ctx.accountId}:role/platform-deployer`,
        userId: "AROAEXAMPLEDEPLOYER:pulumi",
        id: ctx.accountId,
    }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
    "aws:index/getRegion:getRegion": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` };
    },
};

/** Generic ARN for AWS resources without a specific entry. */
export function defaultAwsArn(type: string, name: string, region: string, accountId: string): string {
    const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
    return `arn:aws:${service}:${region}:${accountId}:${name}`;
}
