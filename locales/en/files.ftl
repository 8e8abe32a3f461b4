## Limits on staff files (services/file_limits.py): why a file was refused as a whole.
## Shown as one line of an import report; nothing was changed.

files-limit-size = the file is larger than { $limit } MB. Split it into parts
files-limit-unpacked = unpacked, the file takes more than { $limit } MB. Delete extra sheets and empty formatted rows, or save the table as .csv
files-limit-part = the part “{ $part }” of the file takes more than { $limit } MB unpacked. Save the table as .csv
files-limit-ratio = the file is packed suspiciously tightly: { $ratio } times, where { $limit } is allowed. That is what “zip bombs” look like; if this is an ordinary table, save it again in Excel or as .csv
files-limit-parts = the file has more than { $limit } parts, which is not what a table looks like
files-limit-rows = the file has more than { $limit } rows of data. Split it into parts
files-limit-cell = row { $row } has a cell longer than { $limit } characters
files-limit-line = row { $row } is longer than { $limit } characters
files-limit-time = the file could not be checked within { $limit } s. Split it into parts
files-limit-memory = the file is too complex: checking it needed more than { $limit } MB of memory. Save the table as .csv
files-worker-crash = checking the file broke off. Save it again in Excel as .xlsx or .csv and upload it again
files-no-rows = the file has a header but not a single row of data
files-stopped-at = Reading stopped at row { $row }: { $count } empty rows in a row follow. If there is data below them, delete the empty rows and upload the file again.
