# Writes the public tables of the comparison as CSV (run: Rscript bench/tables/export.R, from Debian's R packages).
suppressMessages({library(mlbench); library(modeldata); library(carData); library(MASS); library(AER)})
out <- function(df, name) write.csv(df, name, row.names = FALSE, na = "NA")
# penguins: Palmer Station penguins (palmerpenguins, CC0), copied as the package ships it
file.copy("/usr/lib/R/site-library/palmerpenguins/extdata/penguins.csv", "penguins.csv", overwrite = TRUE)
data(BreastCancer); out(BreastCancer, "breast-cancer.csv")   # mlbench (GPL-2): Wisconsin, 699 rows, gaps, an Id column
data(HouseVotes84); out(HouseVotes84, "house-votes-84.csv")  # mlbench: 1984 Congress votes, y/n with gaps
data(credit_data); out(credit_data, "credit.csv")            # modeldata (MIT): credit scoring, gaps, categories
# added after the first five, as checks of later changes to the defaults (see README.md)
data(Soybean); out(Soybean, "soybean.csv")                   # mlbench: 683 rows, 35 coded categories, many gaps
data(PimaIndiansDiabetes2); out(PimaIndiansDiabetes2, "pima.csv") # mlbench: zeros that meant "not measured" as gaps
data(Ozone); out(Ozone, "ozone.csv")                         # mlbench: daily ozone (V4, integers), gaps, coded dates
# added blind, as the test of the defaults as they stood: scored once, nothing changed after (see README.md)
data(attrition, package = "modeldata"); out(attrition, "attrition.csv") # modeldata: IBM HR attrition, 1470 rows, categories
data(Chile, package = "carData"); out(Chile, "chile.csv")          # carData (GPL-2+): 1988 Chile plebiscite poll, gaps
data(HMDA, package = "AER"); out(HMDA, "hmda.csv")                # AER (GPL-2+): Boston mortgage denials, 2380 rows
data(scat, package = "modeldata"); out(scat, "scat.csv")           # modeldata: carnivore scat, 110 rows, gaps
data(Servo, package = "mlbench"); out(Servo, "servo.csv")          # mlbench: servo rise time (integers: regression)
data(SLID, package = "carData"); out(SLID, "slid.csv")             # carData: Ontario 1994 wages, 7425 rows, gaps
data(survey, package = "MASS"); out(survey, "survey.csv")          # MASS (GPL-2+): Adelaide student survey, gaps
# a second set added blind, with the defaults as they stood after the fifth round of start-up work: scored once
data(TitanicSurvival, package = "carData"); out(TitanicSurvival, "titanic.csv") # carData: 1309 passengers, age gaps
data(Arrests, package = "carData"); out(Arrests, "arrests.csv")     # carData: Toronto marijuana arrests, 5226 rows
data(Mroz, package = "carData"); out(Mroz, "mroz.csv")              # carData: 1975 women's labour-force participation
data(CPS1985, package = "AER"); out(CPS1985, "cps1985.csv")         # AER: 1985 Current Population Survey wages
data(SwissLabor, package = "AER"); out(SwissLabor, "swisslabor.csv") # AER: Swiss women's labour-force participation
data(ames, package = "modeldata"); out(ames, "ames.csv")            # modeldata: Ames house prices, 2930 rows
data(mlc_churn, package = "modeldata"); out(mlc_churn, "churn.csv") # modeldata: telecom churn, 5000 rows, 51 states
