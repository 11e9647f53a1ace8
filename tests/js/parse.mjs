// Parse calendar feeds with ical.js (the parser Thunderbird uses) and print what it read as
// JSON, so the Python tests can compare it with what they expect. Exit 1 on a parse error.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

function time(value) {
  return value ? { value: value.toString(), isDate: value.isDate } : null;
}

function item(component) {
  const alarms = component.getAllSubcomponents("valarm").map((alarm) => {
    const trigger = alarm.getFirstProperty("trigger");
    return { trigger: trigger.getFirstValue().toString(),
             related: trigger.getParameter("related") || "START" };
  });
  return {
    type: component.name,
    uid: component.getFirstPropertyValue("uid"),
    summary: component.getFirstPropertyValue("summary"),
    description: component.getFirstPropertyValue("description"),
    sequence: component.getFirstPropertyValue("sequence"),
    status: component.getFirstPropertyValue("status"),
    categories: component.getFirstPropertyValue("categories"),
    start: time(component.getFirstPropertyValue("dtstart")),
    end: time(component.getFirstPropertyValue("dtend")),
    due: time(component.getFirstPropertyValue("due")),
    alarms,
  };
}

function read(path) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  const items = [...calendar.getAllSubcomponents("vevent"),
                 ...calendar.getAllSubcomponents("vtodo")].map(item);
  for (const event of calendar.getAllSubcomponents("vevent")) {
    new ICAL.Event(event).endDate.toString(); // the computed end must be readable too
  }
  return {
    path,
    name: calendar.getFirstPropertyValue("x-wr-calname"),
    refresh: calendar.getFirstPropertyValue("refresh-interval")?.toString() ?? null,
    ttl: calendar.getFirstPropertyValue("x-published-ttl"),
    timezones: calendar.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid")),
    items,
  };
}

try {
  console.log(JSON.stringify(process.argv.slice(2).map(read)));
} catch (error) {
  console.error(`ical.js: ${error.message}`);
  process.exit(1);
}
