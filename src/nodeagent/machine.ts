// What the agent reports about the machine it runs on: totals to share out as capacity, and the
// identity fields of a Node's nodeInfo, read where the kubelet reads them.
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import type { MachineTotals } from './capacity.js';

export interface MachineInfo {
  osImage: string;
  kernelVersion: string;
  /** Go's GOARCH name, as Kubernetes labels and reports it. */
  architecture: string;
  machineID: string;
  systemUUID: string;
  bootID: string;
}

const GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
};

export function goArch(nodeArch: string = process.arch): string {
  return GO_ARCH[nodeArch] ?? nodeArch;
}

function firstLine(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n')[0].trim();
  } catch {
    return '';
  }
}

/** PRETTY_NAME of /etc/os-release (`Debian GNU/Linux 12 (bookworm)`), as the kubelet reports osImage. */
function osImage(): string {
  try {
    const m = /^PRETTY_NAME=(.*)$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return m[1].trim().replace(/^(["'])(.*)\1$/, '$2');
  } catch {
    // no os-release: fall through
  }
  return `${os.type()} ${os.release()}`;
}

export function readMachineInfo(): MachineInfo {
  return {
    osImage: osImage(),
    kernelVersion: os.release(),
    architecture: goArch(),
    machineID: firstLine('/etc/machine-id'),
    // Readable by root only on most machines, as for the kubelet.
    systemUUID: firstLine('/sys/class/dmi/id/product_uuid'),
    bootID: firstLine('/proc/sys/kernel/random/boot_id'),
  };
}

export function machineTotals(dataDir: string): MachineTotals {
  const fs = statfsSync(dataDir);
  return {
    cpuCores: os.cpus().length,
    memoryBytes: os.totalmem(),
    ephemeralStorageBytes: fs.blocks * fs.bsize,
  };
}
