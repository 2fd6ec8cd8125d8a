import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The cluster's OIDC identity, for IAM roles for service accounts. */
export interface OidcIdentity {
    readonly providerArn: pulumi.Output<string>;
    /** Issuer without the scheme, e.g. `oidc.eks.us-east-1.amazonaws.com/id/ABC`: the condition-key prefix. */
    readonly issuerHostPath: pulumi.Output<string>;
}

/** An IAM role assumable only by `system:serviceaccount:<namespace>:<serviceAccount>` through the cluster's OIDC provider. */
export function irsaRole(
    name: string,
    oidc: OidcIdentity,
    namespace: string,
    serviceAccount: string,
    opts: pulumi.CustomResourceOptions,
): aws.iam.Role {
    const assumeRolePolicy = pulumi.all([oidc.providerArn, oidc.issuerHostPath]).apply(([arn, host]) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: arn },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                            [`${host}:aud`]: "sts.amazonaws.com",
                        },
                    },
                },
            ],
        }),
    );
    return new aws.iam.Role(name, { assumeRolePolicy, description: `IRSA ${namespace}/${serviceAccount}`, maxSessionDuration: 3600 }, opts);
}
