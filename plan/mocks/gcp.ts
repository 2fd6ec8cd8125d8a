import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import { CallFn, MockContext, OutputFn } from "./types";

/**
 * Computed attributes of GCP resources the program reads: ids in the API's own shapes (the program
 * passes them on as key names, topic ids, secret ids), service-agent and service-account emails,
 * Cloud Run URLs, private IPs. Deterministic per stack so plans diff cleanly.
 */

type Inputs = Record<string, unknown>;
const str = (v: unknown, fallback: string): string => (typeof v === "string" && v !== "" ? v : fallback);
const inputsOf = (args: MockResourceArgs): Inputs => args.inputs as Inputs;

/** A stable small number from a string (for addresses). */
function hash(s: string, mod: number): number {
    let h = 17;
    for (const c of s) {
        h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
    }
    return h % mod;
}

/** Short API names of the service agents `ServiceIdentity` creates, by API. */
const agentDomain: Record<string, string> = {
    "sqladmin.googleapis.com": "gcp-sa-cloud-sql",
    "pubsub.googleapis.com": "gcp-sa-pubsub",
    "secretmanager.googleapis.com": "gcp-sa-secretmanager",
    "redis.googleapis.com": "cloud-redis",
    "run.googleapis.com": "serverless-robot-prod",
};

function regionOf(args: MockResourceArgs, ctx: MockContext): string {
    const i = inputsOf(args);
    return str(i.region ?? i.location, ctx.regionOf(args.provider));
}

export const gcpOutputs: Record<string, OutputFn> = {
    "gcp:projects/serviceIdentity:ServiceIdentity": (args, ctx) => {
        const service = str(inputsOf(args).service, "unknown.googleapis.com");
        const email = `service-${ctx.gcpProjectNumber}@${agentDomain[service] ?? service.split(".")[0]}.iam.gserviceaccount.com`;
        return { email, member: `serviceAccount:${email}` };
    },
    "gcp:serviceaccount/account:Account": (args, ctx) => {
        const email = `${str(inputsOf(args).accountId, args.name)}@${ctx.gcpProject}.iam.gserviceaccount.com`;
        // `name` is the account's full resource name (what serviceaccount.IAMMember's serviceAccountId takes).
        return { id: `projects/${ctx.gcpProject}/serviceAccounts/${email}`, name: `projects/${ctx.gcpProject}/serviceAccounts/${email}`, email, member: `serviceAccount:${email}`, uniqueId: String(100000000000000000000 + hash(email, 1e9)) };
    },
    "gcp:kms/keyRing:KeyRing": (args, ctx) => {
        const i = inputsOf(args);
        return { id: `projects/${ctx.gcpProject}/locations/${str(i.location, "global")}/keyRings/${str(i.name, args.name)}` };
    },
    "gcp:kms/cryptoKey:CryptoKey": (args) => {
        const i = inputsOf(args);
        return { id: `${str(i.keyRing, "keyRing")}/cryptoKeys/${str(i.name, args.name)}` };
    },
    "gcp:secretmanager/secret:Secret": (args, ctx) => {
        const id = str(inputsOf(args).secretId, args.name);
        return { id: `projects/${ctx.gcpProject}/secrets/${id}`, name: `projects/${ctx.gcpProjectNumber}/secrets/${id}` };
    },
    "gcp:pubsub/topic:Topic": (args, ctx) => ({ id: `projects/${ctx.gcpProject}/topics/${str(inputsOf(args).name, args.name)}` }),
    "gcp:pubsub/schema:Schema": (args, ctx) => ({ id: `projects/${ctx.gcpProject}/schemas/${str(inputsOf(args).name, args.name)}` }),
    "gcp:pubsub/subscription:Subscription": (args, ctx) => ({ id: `projects/${ctx.gcpProject}/subscriptions/${str(inputsOf(args).name, args.name)}` }),
    "gcp:compute/network:Network": (args, ctx) => {
        const name = str(inputsOf(args).name, args.name);
        return { id: `projects/${ctx.gcpProject}/global/networks/${name}`, selfLink: `https://www.googleapis.com/compute/v1/projects/${ctx.gcpProject}/global/networks/${name}` };
    },
    "gcp:compute/subnetwork:Subnetwork": (args, ctx) => {
        const name = str(inputsOf(args).name, args.name);
        const region = regionOf(args, ctx);
        return { id: `projects/${ctx.gcpProject}/regions/${region}/subnetworks/${name}`, selfLink: `https://www.googleapis.com/compute/v1/projects/${ctx.gcpProject}/regions/${region}/subnetworks/${name}` };
    },
    "gcp:compute/address:Address": (args, ctx) => {
        const i = inputsOf(args);
        const name = str(i.name, args.name);
        const region = regionOf(args, ctx);
        const internal = i.addressType === "INTERNAL";
        // 203.0.113.0/24 and 10.64.x: documentation range for public, the subnet plan for internal.
        const address = internal ? `10.64.${hash(region, 4)}.${10 + hash(name, 200)}` : `203.0.113.${1 + hash(name, 250)}`;
        return {
            id: `projects/${ctx.gcpProject}/regions/${region}/addresses/${name}`,
            address,
            selfLink: `https://www.googleapis.com/compute/v1/projects/${ctx.gcpProject}/regions/${region}/addresses/${name}`,
        };
    },
    "gcp:compute/globalAddress:GlobalAddress": (args, ctx) => {
        const i = inputsOf(args);
        const name = str(i.name, args.name);
        return { id: `projects/${ctx.gcpProject}/global/addresses/${name}`, address: str(i.address, `198.51.100.${1 + hash(name, 250)}`) };
    },
    "gcp:vpcaccess/connector:Connector": (args, ctx) => {
        const name = str(inputsOf(args).name, args.name);
        return { id: `projects/${ctx.gcpProject}/locations/${regionOf(args, ctx)}/connectors/${name}`, state: "READY" };
    },
    "gcp:sql/databaseInstance:DatabaseInstance": (args, ctx) => {
        const name = str(inputsOf(args).name, args.name);
        const region = regionOf(args, ctx);
        return {
            id: name,
            connectionName: `${ctx.gcpProject}:${region}:${name}`,
            privateIpAddress: `10.80.${hash(region, 200)}.${2 + hash(name, 250)}`,
            publicIpAddress: "",
            serviceAccountEmailAddress: `p${ctx.gcpProjectNumber}-abcdef@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
            // The instance's own server CA (PgBouncer verifies the server against it).
            serverCaCerts: [
                {
                    cert: `-----BEGIN CERTIFICATE-----\nMOCKCA${hash(name, 1e9)}\n-----END CERTIFICATE-----\n`,
                    commonName: `C=US,O=Google\\, Inc,CN=Google Cloud SQL Server CA,dnQualifier=${hash(name, 1e9)}`,
                    sha1Fingerprint: String(hash(name, 1e9)),
                },
            ],
        };
    },
    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": (args, ctx) => {
        const name = str(inputsOf(args).name, args.name);
        const base = `https://www.googleapis.com/compute/v1/projects/${ctx.gcpProject}/regions/${regionOf(args, ctx)}`;
        return { id: `projects/${ctx.gcpProject}/regions/${regionOf(args, ctx)}/instanceGroupManagers/${name}`, instanceGroup: `${base}/instanceGroups/${name}`, selfLink: `${base}/instanceGroupManagers/${name}` };
    },
    "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": (args, ctx) => {
        const name = `${str(inputsOf(args).namePrefix, args.name)}20261203000000000000000001`;
        const path = `projects/${ctx.gcpProject}/regions/${regionOf(args, ctx)}/instanceTemplates/${name}`;
        return { id: path, name, selfLink: `https://www.googleapis.com/compute/v1/${path}` };
    },
    "gcp:compute/regionHealthCheck:RegionHealthCheck": (args, ctx) => {
        const path = `projects/${ctx.gcpProject}/regions/${regionOf(args, ctx)}/healthChecks/${str(inputsOf(args).name, args.name)}`;
        return { id: path, selfLink: `https://www.googleapis.com/compute/v1/${path}` };
    },
    "gcp:compute/regionBackendService:RegionBackendService": (args, ctx) => {
        const path = `projects/${ctx.gcpProject}/regions/${regionOf(args, ctx)}/backendServices/${str(inputsOf(args).name, args.name)}`;
        return { id: path, selfLink: `https://www.googleapis.com/compute/v1/${path}` };
    },
    "gcp:redis/instance:Instance": (args, ctx) => {
        const name = str(inputsOf(args).name, args.name);
        const region = regionOf(args, ctx);
        return {
            id: `projects/${ctx.gcpProject}/locations/${region}/instances/${name}`,
            host: `10.80.${100 + hash(region, 100)}.4`,
            port: 6378,
            readEndpoint: `10.80.${100 + hash(region, 100)}.5`,
            readEndpointPort: 6378,
            authString: `mock-auth-${hash(name, 1e6)}`,
        };
    },
    "gcp:cloudrunv2/service:Service": (args, ctx) => {
        const name = str(inputsOf(args).name, args.name);
        const region = regionOf(args, ctx);
        return {
            id: `projects/${ctx.gcpProject}/locations/${region}/services/${name}`,
            uri: `https://${name}-${ctx.gcpProjectNumber.slice(0, 10)}.${region}.run.app`,
        };
    },
    "gcp:dns/managedZone:ManagedZone": (args) => ({
        nameServers: inputsOf(args).visibility === "private" ? [] : ["ns-cloud-a1.googledomains.com.", "ns-cloud-a2.googledomains.com.", "ns-cloud-a3.googledomains.com.", "ns-cloud-a4.googledomains.com."],
        managedZoneId: String(hash(args.name, 1e9)),
    }),
    /** Two interfaces with public IPs from 203.0.113.0/24 (documentation range), distinct per gateway. */
    "gcp:compute/haVpnGateway:HaVpnGateway": (args, ctx) => {
        const name = str(inputsOf(args).name, args.name);
        const region = regionOf(args, ctx);
        const base = 2 * hash(name + region, 120);
        return {
            id: `projects/${ctx.gcpProject}/regions/${region}/vpnGateways/${name}`,
            selfLink: `https://www.googleapis.com/compute/v1/projects/${ctx.gcpProject}/regions/${region}/vpnGateways/${name}`,
            vpnInterfaces: [
                { id: 0, ipAddress: `203.0.113.${base + 1}` },
                { id: 1, ipAddress: `203.0.113.${base + 2}` },
            ],
        };
    },
    "gcp:compute/router:Router": (args, ctx) => {
        const name = str(inputsOf(args).name, args.name);
        const region = regionOf(args, ctx);
        return { id: `projects/${ctx.gcpProject}/regions/${region}/routers/${name}`, name };
    },
    "gcp:compute/externalVpnGateway:ExternalVpnGateway": (args, ctx) => {
        const name = str(inputsOf(args).name, args.name);
        return { id: `projects/${ctx.gcpProject}/global/externalVpnGateways/${name}`, selfLink: `https://www.googleapis.com/compute/v1/projects/${ctx.gcpProject}/global/externalVpnGateways/${name}` };
    },
    "gcp:compute/vPNTunnel:VPNTunnel": (args, ctx) => {
        const name = str(inputsOf(args).name, args.name);
        const region = regionOf(args, ctx);
        return { id: `projects/${ctx.gcpProject}/regions/${region}/vpnTunnels/${name}`, name, detailedStatus: "Tunnel is up and running." };
    },
    "gcp:storage/bucket:Bucket": (args) => {
        const name = str(inputsOf(args).name, args.name);
        return { id: name, url: `gs://${name}`, selfLink: `https://www.googleapis.com/storage/v1/b/${name}` };
    },
};

/** GCP provider functions the program calls. */
export const gcpCalls: Record<string, CallFn> = {
    "gcp:organizations/getProject:getProject": (args, ctx) => {
        const projectId = (args.inputs as { projectId?: string }).projectId ?? ctx.gcpProject;
        return {
            id: `projects/${projectId}`,
            projectId,
            name: projectId,
            number: ctx.gcpProjectNumber,
        };
    },
};
