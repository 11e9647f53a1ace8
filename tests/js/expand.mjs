// Expand the recurring events of calendar feeds with ical.js (Thunderbird's parser): print,
// per file, each UID's instances as {start, summary} in JSON. Exit 1 on a parse error.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

function expand(path) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  const events = calendar.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
  const out = {};
  for (const master of events.filter((e) => !e.isRecurrenceException())) {
    for (const exception of events.filter((e) => e.isRecurrenceException() && e.uid === master.uid)) {
      master.relateException(exception);
    }
    const instances = [];
    if (!master.isRecurring()) {
      instances.push({ start: master.startDate.toString(), summary: master.summary });
    } else {
      const iterator = master.iterator();
      for (let next = iterator.next(); next && instances.length < 1000; next = iterator.next()) {
        const details = master.getOccurrenceDetails(next);
        instances.push({ start: details.startDate.toString(), summary: details.item.summary });
      }
    }
    out[master.uid] = instances;
  }
  return out;
}

try {
  console.log(JSON.stringify(process.argv.slice(2).map(expand)));
} catch (error) {
  console.error(`ical.js: ${error.message}`);
  process.exit(1);
}
