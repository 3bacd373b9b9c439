import type { Platform, ReleaseAsset, ToolRelease } from './releases.js';

/*
 * The releases task 0-1 installs when a tool is missing or too old: pinned versions, each file with its
 * SHA-256. The values were copied from the sources in `source` (which take them from the upstream checksum
 * files named there) and agree with at least one other independent copy; this machine has no route to the
 * release servers, so none was recomputed here — a file that differs is refused, never installed.
 */

const each = (f: (os: 'darwin' | 'linux', arch: 'arm64' | 'amd64') => ReleaseAsset) => ({
  'darwin-arm64': f('darwin', 'arm64'),
  'darwin-amd64': f('darwin', 'amd64'),
  'linux-amd64': f('linux', 'amd64'),
  'linux-arm64': f('linux', 'arm64'),
});

type Sums = Readonly<Record<Platform, string>>;

const K3D: Sums = {
  'darwin-arm64': 'fe106541d5d0a3f18debcd4d432a16f8c0ce3e6ddc06f8fbb6f696a122313e00',
  'darwin-amd64': 'b4aabc37534f95b9c764e7823f2df923f50d57600837aa60a06266cce47db732',
  'linux-amd64': '06d8f25bc3a971c4eb29e0ff08429b180402db0f4dec838c9eac427e296800a0',
  'linux-arm64': '03cde5cf23e6e8e67de5a039ecf26e5b85aca82fba3e5d13dadf904cd218a250',
};
const HELM: Sums = {
  'darwin-arm64': 'd747eb4e28bd2727173d15b759fa0a17822291ec09db7ced3d55af290a3661a2',
  'darwin-amd64': '6c163d687ca03c3b5c01928e53bbbcf9518278f47ce7a2f249a5a08e8bdaa2bc',
  'linux-amd64': 'c306b46f719b0a4da32d0f78ee21bf90ce8d602f15b22ab753f0674d1670a7f3',
  'linux-arm64': '564de2191b881e9f71b5606b25345821ea1682f06ab90499d3ab22b530176da1',
};
const KUBECTL: Sums = {
  'darwin-arm64': 'b0b59cdd7ba20ca20b85214943100e578dd50ddd85242fcddf277a87c2249706',
  'darwin-amd64': '163955964d4ed9e66656eab45c0114f5c1110d1b430ace432b20ddc430023df5',
  'linux-amd64': '924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277',
  'linux-arm64': 'cd859449f54ad2cb05b491c490c13bb836cdd0886ae013c0aed3dd67ff747467',
};

const GO_TASK: Sums = {
  'darwin-arm64': '85d2d96c2380b33d7855b07b3f7a20dc7ca0eda999a26efa0fb5f6f32b366cd7',
  'darwin-amd64': '7f1a702d54a789cb818a636039a83df071f4179893133afafa4eba351a7e19ef',
  'linux-amd64': 'a54a408f6861ff921f6e87774180db31bacd8c1e7c944ca696db9fea49a82fc7',
  'linux-arm64': 'e3ad19101493a0112e1f22ae8ccc54bf03e533b1076a0ca1e6c782a09ad2e588',
};
const GITLEAKS: Sums = {
  'darwin-arm64': 'b40ab0ae55c505963e365f271a8d3846efbc170aa17f2607f13df610a9aeb6a5',
  'darwin-amd64': 'dfe101a4db2255fc85120ac7f3d25e4342c3c20cf749f2c20a18081af1952709',
  'linux-amd64': '551f6fc83ea457d62a0d98237cbad105af8d557003051f41f3e7ca7b3f2470eb',
  'linux-arm64': 'e4a487ee7ccd7d3a7f7ec08657610aa3606637dab924210b3aee62570fb4b080',
};

export const RELEASES: readonly ToolRelease[] = [
  {
    name: 'k3d',
    command: 'k3d',
    version: '5.9.0',
    source: 'k3d-io/k3d v5.9.0 checksums.txt, as copied in cashapp/hermit-packages k3d.hcl',
    assets: each((os, arch) => ({
      url: `https://github.com/k3d-io/k3d/releases/download/v5.9.0/k3d-${os}-${arch}`,
      sha256: K3D[`${os}-${arch}`],
      kind: 'binary',
    })),
  },
  {
    name: 'helm',
    command: 'helm',
    version: '4.2.4',
    source:
      'get.helm.sh helm-v4.2.4-*.tar.gz.sha256sum, as in Helm’s v4.2.4 release notes and hermit helm.hcl',
    assets: each((os, arch) => ({
      url: `https://get.helm.sh/helm-v4.2.4-${os}-${arch}.tar.gz`,
      sha256: HELM[`${os}-${arch}`],
      kind: 'tar.gz',
      member: `${os}-${arch}/helm`,
    })),
  },
  {
    name: 'kubectl',
    command: 'kubectl',
    version: '1.35.2',
    source:
      'dl.k8s.io v1.35.2 kubectl.sha256, as copied in andrewrothstein/ansible-kubectl and hermit kubectl.hcl',
    assets: each((os, arch) => ({
      url: `https://dl.k8s.io/release/v1.35.2/bin/${os}/${arch}/kubectl`,
      sha256: KUBECTL[`${os}-${arch}`],
      kind: 'binary',
    })),
  },
  {
    name: 'go-task',
    command: 'task',
    version: '3.53.1',
    source:
      'go-task/task v3.53.1 task_checksums.txt, as copied in hermit task.hcl and other pinned installers',
    assets: each((os, arch) => ({
      url: `https://github.com/go-task/task/releases/download/v3.53.1/task_${os}_${arch}.tar.gz`,
      sha256: GO_TASK[`${os}-${arch}`],
      kind: 'tar.gz',
      member: 'task',
    })),
  },
  {
    name: 'gitleaks',
    command: 'gitleaks',
    version: '8.30.1',
    source:
      'gitleaks/gitleaks v8.30.1 checksums.txt, as copied in hermit gitleaks.hcl and other pinned installers',
    // gitleaks names x86-64 `x64` in its assets.
    assets: each((os, arch) => ({
      url: `https://github.com/gitleaks/gitleaks/releases/download/v8.30.1/gitleaks_8.30.1_${os}_${arch === 'amd64' ? 'x64' : arch}.tar.gz`,
      sha256: GITLEAKS[`${os}-${arch}`],
      kind: 'tar.gz',
      member: 'gitleaks',
    })),
  },
];
