// A local WebSocket server standing in for Slack's Socket Mode: greets each connection with
// `hello`, sends envelopes (events, slash commands, interactivity) and records the acks.
import { EventEmitter } from "node:events";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

export interface Ack {
  envelope_id: string;
  payload?: unknown;
}

export class FakeSocketModeServer {
  readonly acks: Ack[] = [];
  readonly #events = new EventEmitter();
  #server: WebSocketServer | undefined;
  #sockets = new Set<WebSocket>();
  #envelopes = 0;
  url = "";

  async start(): Promise<void> {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    this.#server = server;
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    this.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`;
    server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => {
        this.#sockets.delete(socket);
        this.#events.emit("close");
      });
      socket.on("message", (data) => {
        const ack = JSON.parse(String(data)) as Ack;
        this.acks.push(ack);
        this.#events.emit("ack", ack);
      });
      socket.send(
        JSON.stringify({
          type: "hello",
          num_connections: 1,
          debug_info: { host: "fake", approximate_connection_time: 3600 },
          connection_info: { app_id: "A1" },
        }),
      );
      this.#events.emit("connection");
    });
  }

  get connections(): number {
    return this.#sockets.size;
  }

  /** Resolves once no client is connected any more. */
  allClosed(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.#sockets.size > 0) return;
        this.#events.off("close", check);
        resolve();
      };
      this.#events.on("close", check);
      check();
    });
  }

  /** Sends an envelope to every connected client and resolves with its ack. */
  send(type: "events_api" | "slash_commands" | "interactive", payload: unknown, retryAttempt = 0) {
    const envelopeId = `env-${++this.#envelopes}`;
    const acked = this.waitForAck(envelopeId);
    const message = JSON.stringify({
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== "events_api",
      retry_attempt: retryAttempt,
      retry_reason: retryAttempt > 0 ? "timeout" : "",
    });
    for (const socket of this.#sockets) socket.send(message);
    return acked;
  }

  waitForAck(envelopeId: string, deadlineMs = 20_000): Promise<Ack> {
    return new Promise((resolve, reject) => {
      const found = this.acks.find((ack) => ack.envelope_id === envelopeId);
      if (found) return resolve(found);
      const onAck = (ack: Ack) => {
        if (ack.envelope_id !== envelopeId) return;
        this.#events.off("ack", onAck);
        clearTimeout(timer);
        resolve(ack);
      };
      const timer = setTimeout(() => {
        this.#events.off("ack", onAck);
        reject(new Error(`fake Socket Mode: no ack for ${envelopeId}`));
      }, deadlineMs);
      this.#events.on("ack", onAck);
    });
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.terminate();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}
