// What a Kafka Metadata answer says about partition leaders, read as plain data. Pure.

/** A partition as the metadata names it: its leader (-1: none) and how many replicas it has. */
export interface PartitionLead {
  readonly leader: number;
  readonly replicas: number;
}

/** A broker's answer to Metadata, also when some partitions answered with an error (no leader yet). */
interface RawMetadata {
  readonly topics?: readonly {
    readonly name?: string;
    readonly errorCode?: number;
    readonly partitions?: readonly { partitionIndex: number; leaderId: number; replicaNodes: number[] }[];
  }[];
}

/**
 * The leaders a Metadata answer names, from the error the client rejects with when some partitions have
 * none (their leader is -1); null when a topic itself was in error (unknown, …). Pure.
 */
export function leadsFromAnswer(error: unknown): Map<string, PartitionLead[]> | null {
  // The ResponseError itself, or the first one a retry wrapper holds.
  const e = error as { response?: RawMetadata; errors?: unknown } | null;
  const response =
    e?.response ??
    (Array.isArray(e?.errors) ? (e.errors[0] as { response?: RawMetadata } | null)?.response : undefined);
  if (response?.topics === undefined || response.topics.some((t) => t.errorCode !== 0)) return null;
  return new Map(
    response.topics.map((t) => [
      t.name ?? '',
      [...(t.partitions ?? [])]
        .sort((a, b) => a.partitionIndex - b.partitionIndex)
        .map((p) => ({ leader: p.leaderId, replicas: p.replicaNodes.length })),
    ]),
  );
}
