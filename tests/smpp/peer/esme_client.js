// Copyright (c) 2026, smsc-integrations contributors
// BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
//
// An ESME built on the npm package "smpp" (an independent implementation), for pysmsc's server.
// Usage: node esme_client.js PORT. Binds as transceiver (user/secret), prints one JSON object
// per line for every event, reads JSON commands on stdin: {"cmd": "submit", "to", "text",
// "receipt"}, {"cmd": "enquire_link"}, {"cmd": "unbind"}, {"cmd": "exit"}.
"use strict";
const smpp = require("smpp");
const readline = require("readline");

const out = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
smpp.addTLV("smsc_parts", { id: 0x2002, type: smpp.types.tlv.int16 });

const session = smpp.connect({ host: "127.0.0.1", port: Number(process.argv[2]) });
session.on("error", (e) => out({ event: "error", message: String(e) }));
session.on("close", () => {
  out({ event: "close" });
  process.exit(0);
});
session.on("connect", () => {
  session.bind_transceiver({ system_id: "user", password: "secret" }, (pdu) => {
    out({ event: "bound", status: pdu.command_status, system_id: pdu.system_id });
  });
});
session.on("deliver_sm", (pdu) => {
  session.send(pdu.response());
  const sm = pdu.short_message || {};
  out({
    event: "deliver_sm",
    esm_class: pdu.esm_class,
    source: pdu.source_addr,
    destination: pdu.destination_addr,
    data_coding: pdu.data_coding,
    message: typeof sm.message === "string" ? sm.message : null,
    udh: (sm.udh || []).map((b) => b.toString("hex")),
    receipted_message_id: pdu.receipted_message_id || null,
    message_state: pdu.message_state === undefined ? null : pdu.message_state,
    smsc_parts: pdu.smsc_parts === undefined ? null : pdu.smsc_parts,
  });
});
session.on("enquire_link", (pdu) => {
  session.send(pdu.response());
  out({ event: "enquire_link" });
});
session.on("unbind", (pdu) => {
  session.send(pdu.response());
  out({ event: "unbind" });
});

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const cmd = JSON.parse(line);
  if (cmd.cmd === "submit") {
    session.submit_sm(
      {
        destination_addr: cmd.to,
        short_message: cmd.text,
        registered_delivery: cmd.receipt ? 1 : 0,
      },
      (pdu) => out({ event: "submit_resp", status: pdu.command_status, id: pdu.message_id })
    );
  } else if (cmd.cmd === "enquire_link") {
    session.enquire_link({}, (pdu) => out({ event: "enquire_link_resp", status: pdu.command_status }));
  } else if (cmd.cmd === "query") {
    session.query_sm({ message_id: cmd.id }, (pdu) =>
      out({ event: "query_resp", status: pdu.command_status, state: pdu.message_state })
    );
  } else if (cmd.cmd === "unbind") {
    session.unbind({}, (pdu) => out({ event: "unbind_resp", status: pdu.command_status }));
  } else if (cmd.cmd === "exit") {
    process.exit(0);
  }
});
