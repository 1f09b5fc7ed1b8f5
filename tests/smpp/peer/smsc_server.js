// Copyright (c) 2026, smsc-integrations contributors
// BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
//
// An SMSC built on the npm package "smpp" (an independent implementation), for pysmsc's client.
// Usage: node smsc_server.js [port [dropEvery]]: listens on 127.0.0.1 (port 0 or none: any free
// port); with dropEvery N, the Nth, 2Nth... submit_sm gets no answer and the connection is closed
// normally instead. Prints one JSON object per line for every event and
// reads JSON commands on stdin: {"cmd": "mo", "source", "destination", "text"},
// {"cmd": "enquire_link"}, {"cmd": "unbind"}, {"cmd": "exit"}.
"use strict";
const smpp = require("smpp");
const readline = require("readline");

const out = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
smpp.addTLV("smsc_cost", { id: 0x2000, type: smpp.types.tlv.cstring });
smpp.addTLV("smsc_flags", { id: 0x2001, type: smpp.types.tlv.int16 });
smpp.addTLV("smsc_parts", { id: 0x2002, type: smpp.types.tlv.int16 });

const listenPort = Number(process.argv[2] || 0);
const dropEvery = Number(process.argv[3] || 0);
let nextId = 5000;
let submits = 0;
const sessions = [];

const server = smpp.createServer({}, (session) => {
  sessions.push(session);
  session.on("error", (e) => out({ event: "error", message: String(e) }));
  session.on("close", () => {
    sessions.splice(sessions.indexOf(session), 1);
    out({ event: "close" });
  });
  session.on("bind_transceiver", (pdu) => {
    if (pdu.system_id === "user" && pdu.password === "secret") {
      session.send(pdu.response({ system_id: "NODE" }));
      out({ event: "bound", system_type: pdu.system_type });
    } else {
      session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
    }
  });
  session.on("submit_sm", (pdu) => {
    const sm = pdu.short_message || {};
    submits += 1;
    if (dropEvery && submits % dropEvery === 0) {
      out({ event: "dropped", message: typeof sm.message === "string" ? sm.message : null });
      session.close();
      return;
    }
    // Ids unique across restarts on the same port; the event is printed before the answer
    // leaves, so that a message with an id is always in the log, even after a kill -9.
    const id = String(process.pid) + String(nextId++);
    out({
      event: "submit",
      id: id,
      source: pdu.source_addr,
      destination: pdu.destination_addr,
      data_coding: pdu.data_coding,
      esm_class: pdu.esm_class,
      registered_delivery: pdu.registered_delivery,
      message: typeof sm.message === "string" ? sm.message : null,
      udh: (sm.udh || []).map((b) => b.toString("hex")),
    });
    session.send(pdu.response({ message_id: id }));
    if (pdu.registered_delivery) {
      session.deliver_sm(
        {
          source_addr: pdu.destination_addr,
          destination_addr: pdu.source_addr,
          esm_class: smpp.ESM_CLASS.MC_DELIVERY_RECEIPT,
          short_message:
            "id:" + id + " sub:001 dlvrd:001 submit date:2401011200 done date:2401011201 stat:DELIVRD err:000",
          receipted_message_id: id,
          message_state: smpp.MESSAGE_STATE.DELIVERED,
          smsc_cost: "1.2500",
          smsc_flags: 0x0107,
          smsc_parts: 1,
        },
        (resp) => out({ event: "deliver_resp", kind: "receipt", status: resp.command_status })
      );
    }
  });
  session.on("enquire_link", (pdu) => {
    session.send(pdu.response());
    out({ event: "enquire_link" });
  });
  session.on("unbind", (pdu) => {
    session.send(pdu.response());
    out({ event: "unbind" });
    session.close();
  });
  session.on("generic_nack", (pdu) => out({ event: "generic_nack", status: pdu.command_status }));
});

server.listen(listenPort, "127.0.0.1", () => out({ event: "listening", port: server.address().port }));

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const cmd = JSON.parse(line);
  for (const session of sessions) {
    if (cmd.cmd === "mo") {
      session.deliver_sm(
        { source_addr: cmd.source, destination_addr: cmd.destination, short_message: cmd.text },
        (resp) => out({ event: "deliver_resp", kind: "mo", status: resp.command_status })
      );
    } else if (cmd.cmd === "enquire_link") {
      session.enquire_link({}, (resp) => out({ event: "enquire_link_resp", status: resp.command_status }));
    } else if (cmd.cmd === "unbind") {
      session.unbind({}, (resp) => {
        out({ event: "unbind_resp", status: resp.command_status });
        session.close();
      });
    }
  }
  if (cmd.cmd === "exit") {
    process.exit(0);
  }
});
